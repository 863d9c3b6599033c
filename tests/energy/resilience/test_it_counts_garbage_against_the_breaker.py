"""A 200 carrying garbage is a failure for the circuit breaker, like a 500: a garbled body (not
worth a retry) as the call ends, an answer the stage rejects when the runner says so."""

from energy.llm.base import ProviderResponseError
from energy.llm.breaker import failure_signal
from tests.energy.resilience.breakers import CONFIG, MODEL, breaker_on, calls


def test_a_garbled_body_counts_as_a_failure():
    assert failure_signal(ProviderResponseError("no choices in the answer")) is True


def test_rejected_answers_open_the_breaker(clock):
    breaker = breaker_on(clock)
    calls(breaker, *[False] * CONFIG.min_calls)  # answered, as far as the transport could tell

    for _ in range(CONFIG.min_calls):
        breaker.record_rejection(MODEL)

    assert not breaker.is_closed(MODEL)


def test_a_rejection_replaces_a_success_rather_than_adding_a_call(clock):
    breaker = breaker_on(clock)
    calls(breaker, False, False, False)

    breaker.record_rejection(MODEL)

    assert breaker.is_closed(MODEL)  # 1 of 3 failed, and 3 calls are under the minimum of 4
    calls(breaker, True)
    assert not breaker.is_closed(MODEL)  # 2 of 4 failed: the failure rate of 0.5 is reached
