"""Benchmarks cannot trip live traffic: a benchmark's calls count in breakers of their own, and a pause a benchmark
learned binds benchmarks only; live traffic's failures and pauses still hold benchmarks back (energy/llm/scopes.py)."""

import contextlib
import json

import httpx
import pytest
from asgiref.sync import sync_to_async

from energy.calls import RecordingCaller
from energy.llm import limits
from energy.llm.base import CircuitOpen, ProviderExhausted, ProviderHTTPError
from energy.llm.breaker import CircuitBreaker
from energy.llm.retry import RetryPolicy
from energy.llm.scopes import BENCHMARK, LIVE, Scope
from energy.models import LLMCall
from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.catalog.probes import probe_model
from evaluation.models import BenchmarkSuite, Scenario
from evaluation.seeds.benchmarks import SCENARIOS
from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.chat_model import chat_server
from tests.energy.api.payloads import STAGES, recommendation_body
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, WORKERS_AI, WORKERS_AI_URL, chat_stream, sse
from tests.energy.resilience.faults import Fault
from tests.energy.resilience.scripted import HOST

MIN_CALLS = 5  # BREAKER_MIN_CALLS's default, with a failure rate of 0.5: five failed calls open a breaker


def request_in(scope: Scope, clock) -> RecordingCaller:
    """A fresh request of `scope` (a request does not call a model that failed it again), one attempt per call."""
    return RecordingCaller(context="resilience", scope=scope, policy=RetryPolicy(max_attempts=1), sleep=clock.sleep,
                           clock=clock.monotonic, wall_clock=clock.time)


async def breaker_state(scope: Scope) -> str:
    return await sync_to_async(CircuitBreaker(scope=scope).state_name)(OPENROUTER.key)


async def open_breaker(scope: Scope, clock) -> None:
    for _ in range(MIN_CALLS):
        with pytest.raises(ProviderHTTPError):
            await request_in(scope, clock).complete(OPENROUTER, CHAT)
    with pytest.raises(CircuitOpen):
        await request_in(scope, clock).complete(OPENROUTER, CHAT)


@pytest.mark.django_db(transaction=True)
async def test_a_benchmarks_failures_open_its_own_breaker_and_live_calls_still_reach_the_model(scripted_server, clock):
    scripted_server.play(HOST, [Fault("status", 500)] * MIN_CALLS)

    await open_breaker(BENCHMARK, clock)
    completion = await request_in(LIVE, clock).complete(OPENROUTER, CHAT)

    assert completion.text == "OK"
    assert len(scripted_server.hosts) == MIN_CALLS + 1  # the benchmark's refused call sent nothing, live's went out
    assert (await breaker_state(BENCHMARK), await breaker_state(LIVE)) == ("open", "closed")


@pytest.mark.django_db(transaction=True)
async def test_live_failures_open_the_live_breaker_only_and_benchmarks_go_on_measuring(scripted_server, clock):
    scripted_server.play(HOST, [Fault("status", 500)] * MIN_CALLS)

    await open_breaker(LIVE, clock)
    completion = await request_in(BENCHMARK, clock).complete(OPENROUTER, CHAT)

    assert completion.text == "OK"
    assert len(scripted_server.hosts) == MIN_CALLS + 1
    assert (await breaker_state(LIVE), await breaker_state(BENCHMARK)) == ("open", "closed")


# How a provider tells a caller to stop: a Retry-After longer than any request waits, Workers AI's daily allocation
# spent (for every model of the account), or no requests left in an X-RateLimit window longer than LLM_RETRY_AFTER_CAP_S
# (on a success). Each is a pause of the provider, kept in the scope of the call that learned it.
DAILY_LIMIT = {"success": False, "errors": [{"code": 3036, "message": "You have used up your daily free allocation"}]}
PAUSES = {
    "retry-after": (OPENROUTER, {"url": CHAT_URL, "status_code": 429, "headers": {"Retry-After": "86400"}},
                    {"url": CHAT_URL, "content": chat_stream("OK")}),
    "daily quota": (WORKERS_AI, {"url": WORKERS_AI_URL, "status_code": 429, "json": DAILY_LIMIT},
                    {"url": WORKERS_AI_URL, "content": sse({"response": "OK"}, "[DONE]")}),
    "rate-limit window": (OPENROUTER, {"url": CHAT_URL, "content": chat_stream("OK"),
                                       "headers": {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "600"}},
                          {"url": CHAT_URL, "content": chat_stream("OK")}),
}


async def learn_pause(scope: Scope, clock, model) -> None:
    """One call of `scope` that the provider answers with a pause (a failure, or a success that uses up the window)."""
    with contextlib.suppress(ProviderHTTPError, ProviderExhausted):
        await request_in(scope, clock).complete(model, CHAT)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", list(PAUSES))
async def test_a_pause_a_benchmark_learned_holds_back_benchmarks_but_not_live_calls(httpx_mock, clock, how):
    model, pausing, answering = PAUSES[how]
    httpx_mock.add_response(method="POST", **pausing)
    httpx_mock.add_response(method="POST", **answering)

    await learn_pause(BENCHMARK, clock, model)
    with pytest.raises(ProviderExhausted):
        await request_in(BENCHMARK, clock).complete(model, CHAT)
    completion = await request_in(LIVE, clock).complete(model, CHAT)

    assert completion.text == "OK"
    assert len(httpx_mock.get_requests()) == 2  # the pausing answer and live's call; the benchmark sent nothing
    assert await sync_to_async(limits.blocked_for)(model, scope=LIVE, now=clock.time()) == 0
    assert clock.sleeps == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", list(PAUSES))
async def test_a_pause_live_traffic_learned_holds_back_benchmarks_too(httpx_mock, clock, how):
    model, pausing, _ = PAUSES[how]
    httpx_mock.add_response(method="POST", **pausing)

    await learn_pause(LIVE, clock, model)

    for scope in (LIVE, BENCHMARK):
        with pytest.raises(ProviderExhausted):
            await request_in(scope, clock).complete(model, CHAT)
    assert len(httpx_mock.get_requests()) == 1


@pytest.mark.django_db
def test_a_benchmark_call_obeys_the_longest_of_its_own_and_lives_pauses_and_waits_only_if_both_may_be_waited():
    now = 1_700_000_000.0
    limits.block(OPENROUTER, 5, scope=LIVE, now=now)  # a short X-RateLimit window: waitable
    limits.block(OPENROUTER, 30, scope=BENCHMARK, now=now, waitable=False)

    assert limits.current_block(OPENROUTER, scope=BENCHMARK, now=now) == (30, False)
    assert limits.current_block(OPENROUTER, scope=LIVE, now=now) == (5, True)
    assert limits.current_block(OPENROUTER, scope=BENCHMARK, now=now + 10) == (20, False)
    assert limits.current_block(OPENROUTER, scope=LIVE, now=now + 10) == (0, True)


# A probe of a slot's model asks what live traffic would get from it: its outcomes count in the live breaker.
@pytest.mark.django_db(transaction=True)
def test_probes_count_in_the_live_breaker(remote_model, httpx_mock):
    httpx_mock.add_response(url=REMOTE_CHAT_URL, method="POST", status_code=500, json={"error": "overloaded"},
                            is_reusable=True)

    for _ in range(MIN_CALLS):
        assert not probe_model(remote_model, slot_name="fast").ok

    assert CircuitBreaker(scope=LIVE).state_name(remote_model.key) == "open"
    assert CircuitBreaker(scope=BENCHMARK).state_name(remote_model.key) == "closed"


# The whole way: a benchmark run whose model fails opens the benchmark's breaker, and the live request that follows is
# served by that model.
BENCHMARK_UNITS = 6


@pytest.mark.django_db(transaction=True)
def test_a_benchmark_run_on_a_failing_model_leaves_it_serving_live_requests(
    client, auth_headers, plans, remote_catalog, httpx_mock, settings, monkeypatch,
):
    settings.LLM_MAX_ATTEMPTS = 1  # no backoff sleeps: the breaker counts calls, not attempts
    monkeypatch.setattr("evaluation.benchmarks.actions.async_task", lambda *args, **kwargs: None)
    model_is_down = True
    serve = chat_server(plans)

    def remote(request):
        return httpx.Response(500, json={"error": "overloaded"}) if model_is_down else serve(request)

    httpx_mock.add_callback(remote, url=REMOTE_CHAT_URL, method="POST", is_reusable=True)
    suite = BenchmarkSuite.objects.create(name="one")
    Scenario.objects.create(suite=suite, **SCENARIOS[0])
    run = start_benchmark(suite, ["remote/chat-mini"], acting_user=None, repetitions=BENCHMARK_UNITS,
                          warmup_repetitions=0)

    execution.drive(run.pk)
    model_is_down = False
    response = client.post("/api/v1/recommendations", data=json.dumps(recommendation_body(mode="fast")),
                           content_type="application/json", headers=auth_headers)

    benchmark_calls = LLMCall.objects.filter(context__startswith=f"benchmark:{run.pk}:")
    last_unit = run.units.order_by("id").last()
    assert benchmark_calls.count() >= MIN_CALLS
    assert set(benchmark_calls.values_list("status", flat=True)) == {LLMCall.Status.FAILED}
    assert not benchmark_calls.filter(context=f"benchmark:{run.pk}:{last_unit.pk}").exists()  # refused: breaker open
    assert CircuitBreaker(scope=BENCHMARK).state_name("remote/chat-mini") == "open"
    assert CircuitBreaker(scope=LIVE).state_name("remote/chat-mini") == "closed"
    assert response.status_code == 200, response.content
    assert response.json()["metadata"]["models"] == dict.fromkeys(STAGES, "remote/chat-mini")
