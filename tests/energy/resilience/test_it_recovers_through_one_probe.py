"""After BREAKER_OPEN_S an open breaker lets exactly one probe call through: its success closes
the breaker, its failure opens it again for another period."""

import pytest

from energy.llm.base import CircuitOpen
from tests.energy.resilience.breakers import MODEL, breaker_on, calls


@pytest.fixture
def opened(clock):
    breaker = breaker_on(clock)
    calls(breaker, True, True, True, True)
    return breaker


def test_a_successful_probe_closes_it(opened, clock):
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


def test_a_failed_probe_opens_it_again(opened, clock):
    clock.advance(30)
    probe = opened.admit(MODEL)

    clock.advance(2)
    opened.record(probe, True)

    with pytest.raises(CircuitOpen) as raised:
        opened.admit(MODEL)
    assert raised.value.retry_after_s == 30
    clock.advance(30)
    assert opened.admit(MODEL).probe


def test_a_call_let_through_before_it_opened_does_not_close_it(clock):
    breaker = breaker_on(clock)
    straggler = breaker.admit(MODEL)  # a slow call, let through while the breaker was closed
    calls(breaker, True, True, True, True)  # meanwhile other calls fail and open it

    clock.advance(30)
    breaker.record(straggler, False)

    assert not breaker.is_closed(MODEL)
    assert breaker.admit(MODEL).probe
