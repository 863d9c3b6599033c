"""However calls, outcomes, hangs, crashes and time interleave, a half-open breaker never has more
than one probe call in flight, and it never stays half-open for good."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from energy.llm.base import CircuitOpen
from energy.llm.breaker import BreakerConfig, Permit
from tests.energy.resilience.breakers import MODEL, breaker_on, calls
from tests.energy.resilience.clock import FakeClock

CONFIG = BreakerConfig(window=6, min_calls=3, failure_rate=0.5, open_s=10, probe_timeout_s=2.5)
outcomes = st.sampled_from([True, False, None])
steps = st.one_of(
    st.tuples(st.just("call"), outcomes),  # a call: a probe stays in flight, any other ends at once
    st.tuples(st.just("finish"), outcomes),  # the oldest probe in flight ends
    st.tuples(st.just("crash"), st.none()),  # the oldest probe's process dies: no outcome, ever
    st.tuples(st.just("advance"), st.floats(min_value=0, max_value=15)),
)


@settings(max_examples=400)
@given(steps=st.lists(steps, max_size=60))
def test_at_most_one_probe_is_in_flight(steps):
    clock = FakeClock()
    breaker = breaker_on(clock, CONFIG)
    in_flight: list[tuple[Permit, float]] = []  # probes and when they started
    calls(breaker, True, True, True)  # every example starts as the breaker goes half-open
    clock.advance(CONFIG.open_s)

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
            for permit, started in [p for p in in_flight if clock.time() >= p[1] + CONFIG.probe_timeout_s]:
                in_flight.remove((permit, started))
                breaker.record(permit, True)
        assert len(in_flight) <= 1

    # Never stuck: once in-flight probes are over, the breaker admits a call again in time.
    for permit, _ in in_flight:
        breaker.record(permit, None)
    clock.advance(CONFIG.open_s + math.ceil(CONFIG.probe_timeout_s))
    assert breaker.admit(MODEL) is not None
