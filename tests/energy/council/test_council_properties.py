"""The council's rules as properties (Hypothesis), its members mocked at the HTTP seam: whatever
subset of members fails, the council serves while at least its minimum answered and falls back
along the chain otherwise; each stage's events come in step order; nothing sleeps."""

import json
import uuid
from collections import defaultdict

import httpx
import pytest
from asgiref.sync import async_to_sync
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from energy.calls import RecordingCaller
from energy.llm.base import STAGES, CouncilSpec, ModelRef, Route
from energy.pipeline.council import STEP_NUMBERS
from energy.pipeline.events import PipelineEvents
from energy.pipeline.orchestrator import run_pipeline
from tests.energy.api.chat_model import sse
from tests.energy.council.conftest import COUNCIL_KEY, RULES
from tests.energy.pipeline.conftest import make_inputs
from tests.energy.resilience.clock import FakeClock
from tests.fakes.stage_answers import answer_for

INPUTS = make_inputs()
HOSTS = [f"member{i}.test" for i in range(6)]


def member(i: int) -> ModelRef:
    return ModelRef(key=f"member/{i}", provider_kind="openai_compatible", provider_model=f"m{i}",
                    base_url=f"http://{HOSTS[i]}/v1", prompt_style="chat", connect_timeout_s=1, read_timeout_s=2)


class Members:
    """The members' servers: a good chat model on each host, except the failing ones (400, which
    no caller retries)."""

    def __init__(self) -> None:
        self.failing: set[str] = set()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host in self.failing:
            return httpx.Response(400, json={"error": {"message": "bad request"}})
        prompt = json.loads(request.content)["messages"][-1]["content"]
        _, text = answer_for(prompt, chat=True)
        return httpx.Response(200, content=sse(json.loads(text)), headers={"Content-Type": "text/event-stream"})


class Heard(PipelineEvents):
    def __init__(self) -> None:
        self.steps: dict[str, list[str]] = defaultdict(list)

    async def council_step(self, stage: str, step: str, data: dict) -> None:
        self.steps[stage].append(step)


@pytest.fixture
def members(httpx_mock) -> Members:
    server = Members()
    httpx_mock.add_callback(server, is_reusable=True)
    return server


councils = st.integers(2, 6).flatmap(lambda n: st.tuples(
    st.just(n), st.sets(st.integers(0, n - 1)), st.integers(1, n), st.sampled_from([0.34, 0.67, 1.0])))


@pytest.mark.django_db
@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)
@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(council=councils)
def test_it_serves_with_any_subset_of_at_least_the_minimum_and_falls_back_below_it(members, council):
    size, failing, minimum, share = council
    cache.clear()
    members.failing = {HOSTS[i] for i in failing}
    spec = CouncilSpec(members=tuple(member(i) for i in range(size)), chairman=member(0), min_answers=minimum,
                       ranking_share=share)
    ref = ModelRef(key=COUNCIL_KEY, provider_kind="council", prompt_style="council", council=spec)
    clock = FakeClock()
    caller = RecordingCaller(context=uuid.uuid4().hex, sleep=clock.sleep)
    heard = Heard()

    result = async_to_sync(run_pipeline)(INPUTS, route=Route(chains=dict.fromkeys(STAGES, (ref, RULES)), version="p"),
                                         caller=caller, events=heard)

    answering = size - len(failing)
    for stage in STAGES:
        if answering >= minimum:
            assert result.models[stage] == COUNCIL_KEY
            council_figures = result.performance[stage]["council"]
            answered = [m["model"] for m in council_figures["members"] if m["answer"]["outcome"] == "ok"]
            assert answered == [f"member/{i}" for i in range(size) if i not in failing]
            dropped = [f["model"] for f in result.fallbacks if f["stage"] == stage
                       and f["reason"] == "council_member_dropped"]
            assert sorted(dropped) == sorted(f"member/{i}" for i in failing)
            # The chairman is member 0: when it fails, the best-ranked answer is served.
            assert council_figures["chairman"]["used"] is (0 not in failing)
            steps = heard.steps[stage]
            assert steps.count("answer") == size
            assert steps[-1] == "synthesis"
        else:
            assert result.models[stage] == RULES.key
            assert {"stage": stage, "from": COUNCIL_KEY, "to": RULES.key, "reason": "council_below_minimum"} \
                in result.fallbacks
            assert heard.steps[stage] == ["answer"] * size
        numbers = [STEP_NUMBERS[step] for step in heard.steps[stage]]
        assert numbers == sorted(numbers)  # a stage's steps never go back
    assert clock.sleeps == []  # no backoff was due (400s are not retried), and nothing else sleeps
