"""A probe that hangs (or whose process died) cannot keep the breaker half-open: its claim lapses
after BREAKER_PROBE_TIMEOUT_S and another call may probe."""

import pytest

from energy.llm.base import CircuitOpen
from tests.energy.resilience.breakers import MODEL, breaker_on, calls


def test_another_probe_goes_once_the_claim_lapses(clock):
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


def test_a_claim_from_an_earlier_open_period_does_not_block(clock):
    breaker = breaker_on(clock)
    calls(breaker, True, True, True, True)
    clock.advance(30)
    first = breaker.admit(MODEL)
    breaker.record(first, True)  # open again at once, while the first claim still stands

    clock.advance(30)

    assert breaker.admit(MODEL).probe
