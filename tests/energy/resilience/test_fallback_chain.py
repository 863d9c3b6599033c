"""A request tries each model of its fallback chain at most once, and skips one that failed it."""

import json
import uuid
from dataclasses import replace
from itertools import groupby

import httpx
import pytest
from asgiref.sync import async_to_sync
from django.conf import settings as django_settings
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from energy.calls import RecordingCaller
from energy.llm.base import STAGES, FailedEarlier, ModelRef, ProviderHTTPError, Route
from energy.models import LLMCall
from energy.pipeline.facts import compute_facts
from energy.pipeline.orchestrator import run_pipeline
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER
from tests.energy.pipeline.answers import chat_narrative, chat_ranking, chat_summary
from tests.energy.pipeline.conftest import make_inputs
from tests.energy.resilience.clock import FakeClock
from tests.energy.resilience.faults import ScriptedServer
from tests.energy.resilience.records import calls_of
from tests.energy.resilience.scripted import PROPERTY_SETTINGS
from tests.energy.resilience.strategies import scripts

# A caller serves one request: once a model failed one of its calls (after the retries), the request does not call it
# again, for another stage or another prompt. The next request does.
OTHER_STAGE = replace(CHAT, stage="usage_summary" if CHAT.stage != "usage_summary" else "narrative")


@pytest.mark.django_db(transaction=True)
async def test_it_skips_the_model_for_the_rest_of_the_request(httpx_mock, caller, clock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=503, json={"error": "overloaded"}, is_reusable=True)

    with pytest.raises(ProviderHTTPError):
        await caller.complete(OPENROUTER, CHAT)
    with pytest.raises(FailedEarlier) as skipped:
        await caller.complete(OPENROUTER, OTHER_STAGE)

    assert len(httpx_mock.get_requests()) == 3  # the first stage's attempts; none for the second
    assert f"http_error in {CHAT.stage}" in str(skipped.value)
    assert await calls_of() == [(n, LLMCall.Status.FAILED, "http_error") for n in (1, 2, 3)]


@pytest.mark.django_db(transaction=True)
async def test_it_calls_the_model_again_on_the_next_request(httpx_mock, caller, clock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=400, json={"error": "bad"})
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=400, json={"error": "bad"})
    with pytest.raises(ProviderHTTPError):
        await caller.complete(OPENROUTER, CHAT)

    next_request = RecordingCaller(context="resilience", sleep=clock.sleep, clock=clock.monotonic, wall_clock=clock.time)
    with pytest.raises(ProviderHTTPError):
        await next_request.complete(OPENROUTER, OTHER_STAGE)

    assert len(httpx_mock.get_requests()) == 2


# Whatever each model of a fallback chain does, a request tries each model at most once: within a stage in chain
# order, none twice, at most LLM_MAX_ATTEMPTS recorded upstream attempts each; across stages, a model that failed the
# request is not called again. The usage summary runs beside plan scoring and the narrative, so its call and theirs
# can both be on their way when the model fails one of them: a model fails at most two stages of a request, one of
# them the usage summary. The narrative, which starts after scoring, never calls a model that failed scoring.
# How a stage's try ends when the model, not its answer, failed (a rejected answer is another
# matter: the model may answer the next stage's question well).
PROVIDER_FAILURES = {"timeout", "connection_error", "http_error", "bad_response", "stream_incomplete"}
# How a try ends that never reached the model: it had failed the request already, its breaker is
# open, or its provider is paused (a 429/503 with a long Retry-After in an earlier stage).
NOT_SENT = {"failed_earlier", "circuit_open", "provider_exhausted"}
INPUTS = make_inputs()
FACTS = compute_facts(INPUTS)
RULES = ModelRef(key="builtin/rules", provider_kind="rules", prompt_style="rules")
MODELS = [replace(OPENROUTER, key=f"remote/m{i}", base_url=f"https://m{i}.test/v1") for i in range(3)]


def good_answer(request: httpx.Request) -> str:
    """What a good chat model answers to each stage's prompt."""
    prompt = json.loads(request.content)["messages"][-1]["content"]
    if '"ranking"' in prompt:
        return chat_ranking(FACTS)
    if '"explanations"' in prompt:
        return chat_narrative(FACTS)
    return chat_summary(FACTS)


@pytest.fixture
def server(httpx_mock) -> ScriptedServer:
    server = ScriptedServer(answer=good_answer)
    httpx_mock.add_callback(server, is_reusable=True)
    return server


@pytest.mark.django_db
@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)
@settings(**{**PROPERTY_SETTINGS, "max_examples": 40}, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chain=st.permutations(MODELS).flatmap(lambda models: st.integers(1, 3).map(lambda n: models[:n])),
       model_scripts=st.lists(scripts, min_size=3, max_size=3))
def test_it_tries_each_model_once_per_request(server, chain, model_scripts):
    cache.clear()
    server.reset()
    for model, script in zip(MODELS, model_scripts, strict=True):
        server.play(f"m{model.key[-1]}.test", script)
    clock = FakeClock()
    context = uuid.uuid4().hex
    caller = RecordingCaller(context=context, deadline=clock.monotonic() + 1e6, sleep=clock.sleep, clock=clock.monotonic,
                             wall_clock=clock.time)
    route = Route(chains=dict.fromkeys(STAGES, (*chain, RULES)), version="test")

    result = async_to_sync(run_pipeline)(INPUTS, route=route, caller=caller)

    calls = list(LLMCall.objects.filter(context=context).order_by("pk"))
    assert len(calls) == len(server.hosts)
    keys = [m.key for m in (*chain, RULES)]
    for stage in STAGES:
        tried = [attempt["model"] for attempt in result.stages[stage].attempts]
        assert tried == keys[:len(tried)]  # in chain order, none twice
        called = [a["model"] for a in result.stages[stage].attempts if a["kind"] not in NOT_SENT and a["model"] != RULES.key]
        stage_calls = [c for c in calls if c.stage == stage]
        assert [key for key, _ in groupby(c.model_key for c in stage_calls)] == called
        for key in tried:
            attempts = [c.attempt for c in stage_calls if c.model_key == key]
            assert len(attempts) <= django_settings.LLM_MAX_ATTEMPTS
            assert attempts == list(range(1, len(attempts) + 1))
    failed_in = {stage: {a["model"] for a in result.stages[stage].attempts if a["kind"] in PROVIDER_FAILURES}
                 for stage in STAGES}
    for key in keys:
        # Only the usage summary runs beside another stage, so only it can fail a model a second time.
        failed_stages = [stage for stage in STAGES if key in failed_in[stage]]
        assert len(failed_stages) <= 1 or (len(failed_stages) == 2 and "usage_summary" in failed_stages), failed_stages
    for key in failed_in["plan_scoring"]:
        # The narrative starts once scoring is done: it skips the model with no upstream call, and says so.
        assert not [c for c in calls if c.stage == "narrative" and c.model_key == key]
        assert all(a["kind"] == "failed_earlier" for a in result.stages["narrative"].attempts if a["model"] == key)
