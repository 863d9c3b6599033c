"""The circuit breaker: it opens on a failure rate (garbage included, a pause excluded), skips the model
while open, and recovers through one probe at a time."""

import math

import pytest
from asgiref.sync import sync_to_async
from hypothesis import given, settings
from hypothesis import strategies as st

from energy.calls import RecordingCaller
from energy.llm import limits
from energy.llm.base import CircuitOpen, ProviderHTTPError, ProviderResponseError
from energy.llm.breaker import BreakerConfig, CircuitBreaker, Permit, failure_signal
from energy.models import LLMCall
from tests.energy.llm.streams import CHAT, OPENROUTER
from tests.energy.resilience.breakers import CONFIG, MODEL, breaker_on, calls
from tests.energy.resilience.clock import FakeClock
from tests.energy.resilience.faults import Fault, ScriptedServer


# A breaker opens when enough of the model's recent calls failed, and not before it has seen the minimum number of
# calls.
def test_it_opens_at_the_threshold(clock):
    breaker = breaker_on(clock)

    calls(breaker, True, False, True)  # 2 of 3 failed: too few calls to judge
    assert breaker.is_closed(MODEL)
    calls(breaker, False)  # 2 of 4 failed: 0.5, the threshold
    assert not breaker.is_closed(MODEL)

    with pytest.raises(CircuitOpen) as raised:
        breaker.admit(MODEL)
    assert raised.value.retry_after_s == 30


def test_it_stays_closed_below_the_rate(clock):
    breaker = breaker_on(clock)

    calls(breaker, *[False, False, True] * 10)  # never above 1 in 3

    assert breaker.is_closed(MODEL)


def test_it_judges_only_the_last_window_of_calls(clock):
    breaker = breaker_on(clock)

    calls(breaker, *[False] * 4, *[True] * 3, *[False] * 10)  # the failures slid out of the window of 10
    calls(breaker, True, True, True, True)  # 4 of the last 10

    assert breaker.is_closed(MODEL)
    calls(breaker, True)  # 5 of the last 10
    assert not breaker.is_closed(MODEL)


def test_it_does_not_count_an_answer_that_says_nothing(clock):
    breaker = breaker_on(clock)

    calls(breaker, True, True, True)
    calls(breaker, *[None] * 10)

    assert breaker.is_closed(MODEL)
    calls(breaker, True)
    assert not breaker.is_closed(MODEL)


# A 200 carrying garbage is a failure for the circuit breaker, like a 500: a garbled body (not worth a retry) as the
# call ends, an answer the stage rejects when the runner says so.
def test_it_counts_a_garbled_body_as_a_failure():
    assert failure_signal(ProviderResponseError("no choices in the answer")) is True


def test_it_opens_the_breaker_on_rejected_answers(clock):
    breaker = breaker_on(clock)
    tickets = calls(breaker, *[False] * CONFIG.min_calls)  # answered, as far as the transport could tell

    for ticket in tickets:
        breaker.record_rejection(MODEL, [ticket])

    assert not breaker.is_closed(MODEL)


def test_it_replaces_a_success_with_a_rejection_rather_than_adding_a_call(clock):
    breaker = breaker_on(clock)
    _, rejected, _ = calls(breaker, False, False, False)

    breaker.record_rejection(MODEL, [rejected])

    assert breaker.is_closed(MODEL)  # 1 of 3 failed, and 3 calls are under the minimum of 4
    calls(breaker, True)
    assert not breaker.is_closed(MODEL)  # 2 of 4 failed: the failure rate of 0.5 is reached


# A call whose retry is stopped because its provider was paused meanwhile (another request got a 429 asking for a day)
# is no news for the model's breaker: otherwise one pause would count against the model once for every call in flight,
# and open its breaker for far longer.
HOST = "llm.test"
CALLS = 8  # over BREAKER_MIN_CALLS


@pytest.mark.django_db(transaction=True)
async def test_it_does_not_open_the_breaker_on_calls_cut_short_by_a_pause(httpx_mock, clock):
    server = ScriptedServer()
    httpx_mock.add_callback(server, is_reusable=True)
    server.play(HOST, [Fault("status", 503)] * CALLS)
    breaker = CircuitBreaker(clock=clock.time)

    async def backoff_while_another_request_is_told_to_wait(seconds: float) -> None:
        await clock.sleep(seconds)
        await sync_to_async(limits.block)(OPENROUTER, 60, now=clock.time(), waitable=False)

    for _ in range(CALLS):
        caller = RecordingCaller(context="resilience", sleep=backoff_while_another_request_is_told_to_wait,
                                 clock=clock.monotonic, wall_clock=clock.time, breaker=breaker)
        with pytest.raises(ProviderHTTPError):  # what the model answered; the pause only withheld the retry
            await caller.complete(OPENROUTER, CHAT)
        clock.advance(61)  # the pause is over for the next call

    assert len(server.hosts) == CALLS  # one attempt each: the retry was withheld
    assert await sync_to_async(breaker.is_closed)(OPENROUTER.key)


# Once a model's breaker opens, calls to it fail at once with CircuitOpen (no request, no LLMCall row: nothing went
# upstream) until one probe call, a single attempt, closes it again.
ATTEMPTS = 3  # LLM_MAX_ATTEMPTS
MIN_CALLS = 5  # BREAKER_MIN_CALLS


@pytest.mark.django_db(transaction=True)
async def test_it_opens_then_recovers_through_a_probe(httpx_mock, clock):
    server = ScriptedServer()
    httpx_mock.add_callback(server, is_reusable=True)
    breaker = CircuitBreaker(clock=clock.time)

    async def call():  # as one request does, with a deadline of its own
        caller = RecordingCaller(context="resilience", sleep=clock.sleep, clock=clock.monotonic, breaker=breaker)
        return await caller.complete(OPENROUTER, CHAT)

    server.play(HOST, [Fault("status", 503)] * (MIN_CALLS * ATTEMPTS + 1))

    for _ in range(MIN_CALLS):
        with pytest.raises(ProviderHTTPError):
            await call()
    with pytest.raises(CircuitOpen):
        await call()

    assert len(server.hosts) == await LLMCall.objects.acount() == MIN_CALLS * ATTEMPTS

    clock.advance(30)  # BREAKER_OPEN_S
    with pytest.raises(ProviderHTTPError):
        await call()  # the probe: one attempt, which fails
    with pytest.raises(CircuitOpen):
        await call()
    assert len(server.hosts) == MIN_CALLS * ATTEMPTS + 1

    clock.advance(30)
    assert (await call()).text == "OK"  # the next probe succeeds
    assert (await call()).text == "OK"
    assert len(server.hosts) == MIN_CALLS * ATTEMPTS + 3


# After BREAKER_OPEN_S an open breaker lets exactly one probe call through: its success closes the breaker, its
# failure opens it again for another period.
@pytest.fixture
def opened(clock):
    breaker = breaker_on(clock)
    calls(breaker, True, True, True, True)
    return breaker


def test_it_closes_on_a_successful_probe(opened, clock):
    clock.advance(29.9)
    with pytest.raises(CircuitOpen):
        opened.admit(MODEL)

    clock.advance(0.1)
    probe = opened.admit(MODEL)
    assert probe.probe
    with pytest.raises(CircuitOpen, match="probe call is in flight"):
        opened.admit(MODEL)

    opened.record(probe, False)
    assert opened.is_closed(MODEL)
    assert not opened.admit(MODEL).probe
    calls(opened, True, True, True)  # a fresh window: three failures are not yet enough
    assert opened.is_closed(MODEL)


def test_it_opens_again_on_a_failed_probe(opened, clock):
    clock.advance(30)
    probe = opened.admit(MODEL)

    clock.advance(2)
    opened.record(probe, True)

    with pytest.raises(CircuitOpen) as raised:
        opened.admit(MODEL)
    assert raised.value.retry_after_s == 30
    clock.advance(30)
    assert opened.admit(MODEL).probe


def test_it_is_not_closed_by_a_call_let_through_before_it_opened(clock):
    breaker = breaker_on(clock)
    straggler = breaker.admit(MODEL)  # a slow call, let through while the breaker was closed
    calls(breaker, True, True, True, True)  # meanwhile other calls fail and open it

    clock.advance(30)
    breaker.record(straggler, False)

    assert not breaker.is_closed(MODEL)
    assert breaker.admit(MODEL).probe


# A probe that hangs (or whose process died) cannot keep the breaker half-open: its claim lapses after
# BREAKER_PROBE_TIMEOUT_S and another call may probe.
def test_it_lets_another_probe_go_once_the_claim_lapses(clock):
    breaker = breaker_on(clock)
    calls(breaker, True, True, True, True)
    clock.advance(30)
    hanging = breaker.admit(MODEL)

    clock.advance(4.9)
    with pytest.raises(CircuitOpen):
        breaker.admit(MODEL)
    clock.advance(0.1)
    second = breaker.admit(MODEL)

    assert hanging.probe
    assert second.probe
    breaker.record(second, False)
    assert breaker.is_closed(MODEL)


def test_it_is_not_blocked_by_a_claim_from_an_earlier_open_period(clock):
    breaker = breaker_on(clock)
    calls(breaker, True, True, True, True)
    clock.advance(30)
    first = breaker.admit(MODEL)
    breaker.record(first, True)  # open again at once, while the first claim still stands

    clock.advance(30)

    assert breaker.admit(MODEL).probe


# However calls, outcomes, hangs, crashes and time interleave, a half-open breaker never has more than one probe call
# in flight, and it never stays half-open for good.
PROBE_CONFIG = BreakerConfig(window=6, min_calls=3, failure_rate=0.5, open_s=10, probe_timeout_s=2.5)
outcomes = st.sampled_from([True, False, None])
steps = st.one_of(
    st.tuples(st.just("call"), outcomes),  # a call: a probe stays in flight, any other ends at once
    st.tuples(st.just("finish"), outcomes),  # the oldest probe in flight ends
    st.tuples(st.just("crash"), st.none()),  # the oldest probe's process dies: no outcome, ever
    st.tuples(st.just("advance"), st.floats(min_value=0, max_value=15)),
)


@settings(max_examples=400)
@given(steps=st.lists(steps, max_size=60))
def test_it_lets_at_most_one_probe_be_in_flight(steps):
    clock = FakeClock()
    breaker = breaker_on(clock, PROBE_CONFIG)
    in_flight: list[tuple[Permit, float]] = []  # probes and when they started
    calls(breaker, True, True, True)  # every example starts as the breaker goes half-open
    clock.advance(PROBE_CONFIG.open_s)

    for action, value in steps:
        if action == "call":
            try:
                permit = breaker.admit(MODEL)
            except CircuitOpen:
                continue
            if permit.probe:
                in_flight.append((permit, clock.time()))
            else:
                breaker.record(permit, value)
        elif action in ("finish", "crash") and in_flight:
            permit, _ = in_flight.pop(0)
            if action == "finish":
                breaker.record(permit, value)
        elif action == "advance":
            clock.advance(value)
            # The caller stops a probe at the probe timeout: a timeout, which is a failure.
            for permit, started in [p for p in in_flight if clock.time() >= p[1] + PROBE_CONFIG.probe_timeout_s]:
                in_flight.remove((permit, started))
                breaker.record(permit, True)
        assert len(in_flight) <= 1

    # Never stuck: once in-flight probes are over, the breaker admits a call again in time.
    for permit, _ in in_flight:
        breaker.record(permit, None)
    clock.advance(PROBE_CONFIG.open_s + math.ceil(PROBE_CONFIG.probe_timeout_s))
    assert breaker.admit(MODEL) is not None
