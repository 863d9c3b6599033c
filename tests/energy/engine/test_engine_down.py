"""With the engine down, the embedded model's stages fall back to the rules engine and health
says so; an engine started again is used again, with no restart of the app."""

import pytest

from energy.calls import RecordingCaller
from energy.llm.base import STAGES, ModelRef, ProviderConnectionError, Route
from energy.pipeline.orchestrator import run_pipeline
from tests.energy.engine.conftest import SEED, short_request
from tests.energy.pipeline.conftest import make_inputs
from tests.engine_server import running_engine
from tests.live_server import free_port

pytestmark = [pytest.mark.llm, pytest.mark.django_db(transaction=True)]

GEMMA = ModelRef(key="local/gemma-3-270m", provider_kind="llama_cpp", prompt_style="completion",
                 stage_settings=SEED["stage_settings"])
RULES = ModelRef(key="builtin/rules", provider_kind="rules", prompt_style="rules")


async def health(async_client) -> dict:
    response = await async_client.get("/api/v1/health")
    assert response.status_code == 200
    return response.json()


async def test_stages_fall_back_while_it_is_down_and_use_it_again_once_it_is_back(settings, async_client):
    port = free_port()
    settings.ENGINE_URL = f"http://127.0.0.1:{port}"

    with pytest.raises(ProviderConnectionError):
        await RecordingCaller(context="down").complete(GEMMA, short_request())
    result = await run_pipeline(make_inputs(), route=Route(chains={s: (GEMMA, RULES) for s in STAGES}),
                                caller=RecordingCaller(context="down"))
    assert set(result.models.values()) == {"builtin/rules"}
    # Each model is tried once per request: stages that start after its failure skip it.
    reasons = [f["reason"] for f in result.fallbacks]
    assert "connection_error" in reasons
    assert set(reasons) <= {"connection_error", "failed_earlier"}
    down = await health(async_client)
    assert (down["status"], down["engine"]["status"]) == ("degraded", "down")

    with running_engine(port):
        completion = await RecordingCaller(context="back").complete(GEMMA, short_request())
        up = await health(async_client)

    assert completion.text
    assert (up["status"], up["engine"]["status"]) == ("ok", "ok")
