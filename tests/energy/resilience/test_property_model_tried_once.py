"""Whatever each model of a fallback chain does, a request tries each model at most once per
stage, in chain order, and spends at most LLM_MAX_ATTEMPTS recorded upstream attempts on it."""

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
from energy.llm.base import STAGES, ModelRef, Route
from energy.models import LLMCall
from energy.pipeline.facts import compute_facts
from energy.pipeline.orchestrator import run_pipeline
from tests.energy.llm.streams import OPENROUTER
from tests.energy.pipeline.answers import chat_narrative, chat_ranking, chat_summary
from tests.energy.pipeline.conftest import make_inputs
from tests.energy.resilience.clock import FakeClock
from tests.energy.resilience.faults import ScriptedServer
from tests.energy.resilience.scripted import PROPERTY_SETTINGS
from tests.energy.resilience.strategies import scripts

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
def test_each_model_is_tried_once_per_stage(server, chain, model_scripts):
    cache.clear()
    server.reset()
    for model, script in zip(MODELS, model_scripts, strict=True):
        server.play(f"m{model.key[-1]}.test", script)
    clock = FakeClock()
    context = uuid.uuid4().hex
    caller = RecordingCaller(context=context, deadline=clock.monotonic() + 1e6, sleep=clock.sleep, clock=clock.monotonic)
    route = Route(chains=dict.fromkeys(STAGES, (*chain, RULES)), version="test")

    result = async_to_sync(run_pipeline)(INPUTS, route=route, caller=caller)

    calls = list(LLMCall.objects.filter(context=context).order_by("pk"))
    assert len(calls) == len(server.hosts)
    keys = [m.key for m in (*chain, RULES)]
    for stage in STAGES:
        tried = [attempt["model"] for attempt in result.stages[stage].attempts]
        assert tried == keys[:len(tried)]  # in chain order, none twice
        stage_calls = [c for c in calls if c.stage == stage]
        assert [key for key, _ in groupby(c.model_key for c in stage_calls)] == [k for k in tried if k != RULES.key]
        for key in tried:
            attempts = [c.attempt for c in stage_calls if c.model_key == key]
            assert len(attempts) <= django_settings.LLM_MAX_ATTEMPTS
            assert attempts == list(range(1, len(attempts) + 1))
