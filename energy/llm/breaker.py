"""A circuit breaker per model and scope (live traffic or benchmarks, energy.llm.scopes), its
state in Django's cache so that every process sharing the cache (the database cache by default,
Redis when configured) shares the breaker.

- closed → open: at least `failure_rate` of the model's last `window` calls failed (5xx, 429,
  timeouts, resets, broken streams, garbled 200s, answers their stage rejected), and there were
  at least `min_calls` of them.
- open → half-open: `open_s` later, one probe call is let through, claimed with `cache.add`
  (atomic). The claim lapses after `probe_timeout_s`, so a probe that hangs, or whose process
  died, cannot keep the breaker half-open; the caller also stops a probe's call by then.
- half-open → closed (with an empty window) when the probe succeeds, open again when it fails.

The window is exact across processes, with no read-modify-write of shared state: each outcome
takes the next number from an atomic counter (`cache.incr`), its ticket; a failure writes its
ticket to a slot of its own (ticket mod `window`). The window is the last `window` tickets (since
the breaker last closed), and its failures are the slots holding a ticket in it: a success costs
one increment and no slot. When a call's stage later rejects its answer, the call's ticket is
written to its slot, a failure after all.
"""

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.cache.backends.base import BaseCache

from energy.llm.base import (
    NEVER_SENT,
    CircuitOpen,
    DeadlineExceeded,
    ProviderResponseError,
)
from energy.llm.retry import is_transient
from energy.llm.scopes import LIVE, Scope, scoped_key

logger = logging.getLogger(__name__)
KEY_PREFIX = "llm:breaker:"
CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"
STATES = (CLOSED, OPEN, HALF_OPEN)
# Failures that say nothing about the model: the call was never sent, or the request ran out of
# time (a deadline cut is the request's budget, not the model's fault).
SAYS_NOTHING = (*NEVER_SENT, DeadlineExceeded)


def failure_signal(exc: BaseException | None) -> bool | None:
    """What a call's last attempt says about its model: True when it failed the way a down,
    overloaded or broken model fails (a garbled 200 included, though it is not worth a retry),
    False when the model answered (a 4xx is the request's fault; an answer the stage rejects is
    counted by `record_rejection`), None when it says nothing. `exc` is None for a success."""
    if exc is None:
        return False
    if isinstance(exc, SAYS_NOTHING):
        return None
    return isinstance(exc, ProviderResponseError) or is_transient(exc)


@dataclass(frozen=True)
class BreakerConfig:
    window: int = 20
    min_calls: int = 5
    failure_rate: float = 0.5
    open_s: float = 30.0
    probe_timeout_s: float = 10.0

    @classmethod
    def from_settings(cls) -> "BreakerConfig":
        return cls(
            window=settings.BREAKER_WINDOW,
            min_calls=settings.BREAKER_MIN_CALLS,
            failure_rate=settings.BREAKER_FAILURE_RATE,
            open_s=settings.BREAKER_OPEN_S,
            probe_timeout_s=settings.BREAKER_PROBE_TIMEOUT_S,
        )


@dataclass(frozen=True)
class Permit:
    """Leave to call a model. A probe permit is the one call a half-open breaker lets through,
    for the open period that ended at `probe_for`."""

    model_key: str
    probe_for: float | None = None

    @property
    def probe(self) -> bool:
        return self.probe_for is not None


class CircuitBreaker:
    """The breakers of one scope: only that scope's calls are counted, judged and let through."""

    def __init__(self, config: BreakerConfig | None = None, *, scope: Scope = LIVE,
                 cache: BaseCache = default_cache, clock: Callable[[], float] = time.time):
        self.config = config or BreakerConfig.from_settings()
        self.scope = scope
        self.cache = cache
        # Wall-clock time: the state is shared between processes, whose monotonic clocks differ.
        self.clock = clock

    def admit(self, model_key: str) -> Permit:
        """A permit to call the model, or CircuitOpen."""
        open_until = self._open_until(model_key)
        if open_until is None:
            return Permit(model_key)
        now = self.clock()
        if now < open_until:
            raise CircuitOpen(f"{model_key}: circuit open for another {open_until - now:.1f} s",
                              retry_after_s=open_until - now)
        # Each open period has a claim key of its own, so a claim left from an earlier one never blocks.
        claim = self._key(model_key, f"probe:{open_until!r}")
        if self.cache.add(claim, now, timeout=math.ceil(self.config.probe_timeout_s)):
            return Permit(model_key, probe_for=open_until)
        raise CircuitOpen(f"{model_key}: circuit half-open, a probe call is in flight",
                          retry_after_s=self.config.probe_timeout_s)

    def is_closed(self, model_key: str) -> bool:
        return self._open_until(model_key) is None

    def state_name(self, model_key: str) -> str:
        """`closed`, `open`, or `half_open` (the open period is over: the next call is its probe)."""
        open_until = self._open_until(model_key)
        if open_until is None:
            return CLOSED
        return OPEN if self.clock() < open_until else HALF_OPEN

    def record(self, permit: Permit, failed: bool | None) -> int | None:
        """Count one call's outcome (see `failure_signal`); None counts for nothing. Returns the
        call's ticket, for `record_rejection`, when the outcome went into the window."""
        if failed is None:
            return None
        model_key = permit.model_key
        found = self.cache.get_many([self._key(model_key, "open"), self._key(model_key, "from")])
        open_until = found.get(self._key(model_key, "open"))
        if open_until is not None:
            # Open or half-open: only the probe of this open period decides; calls let through
            # before the breaker opened are no news.
            if permit.probe_for == open_until:
                if failed:
                    self.cache.set(self._key(model_key, "open"), self._reopen_at(), timeout=None)
                else:
                    # Closed, with an empty window: only the outcomes after this one count.
                    self.cache.set(self._key(model_key, "from"), self._counted(model_key), timeout=None)
                    self.cache.delete(self._key(model_key, "open"))
                logger.warning("circuit %s for %s: its probe call %s", "reopened" if failed else "closed",
                               model_key, "failed" if failed else "succeeded")
            return None
        ticket = self._next_ticket(model_key)
        if failed:
            self.cache.set(self._slot(model_key, ticket), ticket, timeout=None)
            self._judge(model_key)
        elif ticket - found.get(self._key(model_key, "from"), 0) == self.config.min_calls:
            # A success only lowers the failure rate, except that it may bring the window to
            # `min_calls`, below which the breaker does not judge at all.
            self._judge(model_key)
        return ticket

    def record_rejection(self, model_key: str, tickets: list[int | None]) -> None:
        """Calls counted as successes turned out to carry answers their stage rejected: each is
        counted as failed instead, in its own slot (unless a later failure, `window` calls on,
        took the slot)."""
        if self._open_until(model_key) is not None:
            return  # only a probe's transport outcome decides an open breaker
        slots = {self._slot(model_key, ticket): ticket for ticket in tickets if ticket is not None}
        held = self.cache.get_many(list(slots))
        for slot, ticket in slots.items():
            if held.get(slot, 0) < ticket:
                self.cache.set(slot, ticket, timeout=None)
        self._judge(model_key)

    def _judge(self, model_key: str) -> None:
        calls, failures = self._window(model_key)
        if calls < self.config.min_calls or failures / calls < self.config.failure_rate:
            return
        # `add`: of several processes judging at once, one opens it (and logs it).
        if self.cache.add(self._key(model_key, "open"), self._reopen_at(), timeout=None):
            logger.warning("circuit opened for %s: %d of its last %d calls failed; no calls for %g s",
                           model_key, failures, calls, self.config.open_s)

    def _window(self, model_key: str) -> tuple[int, int]:
        """(how many calls the window holds, how many of them failed)."""
        keys = [self._slot(model_key, i) for i in range(self.config.window)]
        count_key, from_key = self._key(model_key, "count"), self._key(model_key, "from")
        found = self.cache.get_many([*keys, count_key, from_key])
        newest = found.pop(count_key, 0)
        closed_at = found.pop(from_key, 0)
        if closed_at > newest:  # the cache lost the counter (culled): count from its restart
            closed_at = 0
        oldest_excluded = max(closed_at, newest - self.config.window)
        failures = sum(1 for ticket in found.values() if oldest_excluded < ticket <= newest)
        return newest - oldest_excluded, failures

    def _next_ticket(self, model_key: str) -> int:
        counter = self._key(model_key, "count")
        try:
            return self.cache.incr(counter)
        except ValueError:  # the model's first outcome (or the cache lost the counter)
            self.cache.add(counter, 0, timeout=None)
            return self.cache.incr(counter)

    def _counted(self, model_key: str) -> int:
        return self.cache.get(self._key(model_key, "count"), 0)

    def _reopen_at(self) -> float:
        return self.clock() + self.config.open_s

    def _open_until(self, model_key: str) -> float | None:
        return self.cache.get(self._key(model_key, "open"))

    def _slot(self, model_key: str, ticket: int) -> str:
        return self._key(model_key, f"failure:{ticket % self.config.window}")

    def _key(self, model_key: str, part: str) -> str:
        # No expiry on any of them: the window is the model's last calls, however long ago.
        return scoped_key(KEY_PREFIX, self.scope, f"{model_key}:{part}")
