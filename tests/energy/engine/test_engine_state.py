"""The engine's state as health, the switchboard and the catalog show it, and what happens while it is down."""

import asyncio

import pytest

from energy.calls import RecordingCaller
from energy.engine import state as engine_state
from energy.llm import dispatch
from energy.llm.base import STAGES, ModelRef, ProviderConnectionError, Route
from energy.pipeline.orchestrator import run_pipeline
from tests.energy.engine.conftest import SEED, short_request
from tests.energy.pipeline.conftest import make_inputs
from tests.engine_server import running_engine
from tests.live_server import free_port

pytestmark = [pytest.mark.llm, pytest.mark.django_db(transaction=True)]


# The engine's state as health, the switchboard and the catalog show it: models loaded, slots, queue depth, tokens/s.
async def test_it_counts_the_requests_decoding_and_waiting(engine, occupy):
    async with occupy(count=6, tokens=4000):
        # The engine has all six once the last two reach its queue (4 were seen decoding).
        async with asyncio.timeout(10):
            while (state := await engine_state.current(max_age_s=0)).busy < 6:
                await asyncio.sleep(0.05)

    assert state.status == "ok"
    assert state.models == ["gemma-3-270m-q4_k_m.gguf"]
    assert (state.slots, state.processing) == (4, 4)
    assert state.deferred == 2
    assert state.busy == 6


async def test_it_reports_generation_speed(engine, gemma):
    await dispatch.complete(gemma, short_request())

    state = await engine_state.current(max_age_s=0)

    assert state.tokens_predicted > 0
    assert state.tokens_per_s > 1


def test_it_reports_a_down_engine_with_its_error(settings):
    settings.ENGINE_URL = "http://127.0.0.1:9"

    state = engine_state.current_sync(max_age_s=0)

    assert state.status == "down"
    assert "ConnectError" in state.error
    assert not state.up


# With the engine down, the embedded model's stages fall back to the rules engine and health says so; an engine
# started again is used again, with no restart of the app.
GEMMA = ModelRef(key="local/gemma-3-270m", provider_kind="llama_cpp", prompt_style="completion",
                 stage_settings=SEED["stage_settings"])
RULES = ModelRef(key="builtin/rules", provider_kind="rules", prompt_style="rules")


async def health(async_client, auth_headers) -> dict:
    response = await async_client.get("/api/v1/health/details", headers=auth_headers)
    assert response.status_code == 200
    return response.json()


async def test_it_falls_back_while_the_engine_is_down_and_uses_it_again_once_back(settings, async_client, auth_headers):
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
    down = await health(async_client, auth_headers)
    assert (down["status"], down["engine"]["status"]) == ("degraded", "down")

    with running_engine(port):
        completion = await RecordingCaller(context="back").complete(GEMMA, short_request())
        up = await health(async_client, auth_headers)

    assert completion.text
    assert (up["status"], up["engine"]["status"]) == ("up", "ok")
