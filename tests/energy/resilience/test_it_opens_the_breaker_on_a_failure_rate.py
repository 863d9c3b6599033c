"""A breaker opens when enough of the model's recent calls failed, and not before it has seen
the minimum number of calls."""

import pytest

from energy.llm.base import CircuitOpen
from tests.energy.resilience.breakers import MODEL, breaker_on, calls


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


def test_an_answer_that_says_nothing_is_not_counted(clock):
    breaker = breaker_on(clock)

    calls(breaker, True, True, True)
    calls(breaker, *[None] * 10)

    assert breaker.is_closed(MODEL)
    calls(breaker, True)
    assert not breaker.is_closed(MODEL)
