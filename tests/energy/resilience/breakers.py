"""A circuit breaker on a fake clock and cache, and shortcuts to drive it."""

from energy.llm.breaker import BreakerConfig, CircuitBreaker
from tests.energy.resilience.clock import ClockedCache, FakeClock

MODEL = "remote/chat"
CONFIG = BreakerConfig(window=10, min_calls=4, failure_rate=0.5, open_s=30, probe_timeout_s=5)


def breaker_on(clock: FakeClock, config: BreakerConfig = CONFIG) -> CircuitBreaker:
    return CircuitBreaker(config, cache=ClockedCache(clock), clock=clock.time)


def calls(breaker: CircuitBreaker, *failed: bool | None) -> list[int | None]:
    """One call per outcome, each admitted then recorded; their tickets."""
    return [breaker.record(breaker.admit(MODEL), outcome) for outcome in failed]
