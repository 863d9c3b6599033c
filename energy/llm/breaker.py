"""A circuit breaker per model, its state in Django's cache so that every process sharing the
cache (Redis, once configured) shares the breaker.

- closed → open: at least `failure_rate` of the model's last `window` calls failed (5xx, 429,
  timeouts, resets, broken streams, garbled 200s, answers their stage rejected), and there were
  at least `min_calls` of them.
- open → half-open: `open_s` later, one probe call is let through, claimed with `cache.add`
  (atomic). The claim lapses after `probe_timeout_s`, so a probe that hangs, or whose process
  died, cannot keep the breaker half-open; the caller also stops a probe's call by then.
- half-open → closed (with an empty window) when the probe succeeds, open again when it fails.

The window itself is a read-modify-write, so two processes recording at the same instant may
lose an outcome: the window is a statistic. The probe claim, which must be exclusive, is atomic.
"""

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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

logger = logging.getLogger(__name__)
KEY_PREFIX = "llm:breaker:"
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
    def __init__(self, config: BreakerConfig | None = None, *, cache: BaseCache = default_cache,
                 clock: Callable[[], float] = time.time):
        self.config = config or BreakerConfig.from_settings()
        self.cache = cache
        # Wall-clock time: the state is shared between processes, whose monotonic clocks differ.
        self.clock = clock

    def admit(self, model_key: str) -> Permit:
        """A permit to call the model, or CircuitOpen."""
        open_until = self._state(model_key).get("open_until")
        if open_until is None:
            return Permit(model_key)
        now = self.clock()
        if now < open_until:
            raise CircuitOpen(f"{model_key}: circuit open for another {open_until - now:.1f} s",
                              retry_after_s=open_until - now)
        # Each open period has a claim key of its own, so a claim left from an earlier one never blocks.
        claim = f"{KEY_PREFIX}{model_key}:probe:{open_until!r}"
        if self.cache.add(claim, now, timeout=math.ceil(self.config.probe_timeout_s)):
            return Permit(model_key, probe_for=open_until)
        raise CircuitOpen(f"{model_key}: circuit half-open, a probe call is in flight",
                          retry_after_s=self.config.probe_timeout_s)

    def is_closed(self, model_key: str) -> bool:
        return self._state(model_key).get("open_until") is None

    def record(self, permit: Permit, failed: bool | None) -> None:
        """Count one call's outcome (see `failure_signal`); None counts for nothing."""
        if failed is None:
            return
        state = self._state(permit.model_key)
        open_until = state.get("open_until")
        if open_until is not None:
            # Open or half-open: only the probe of this open period decides; calls let through
            # before the breaker opened are no news.
            if permit.probe_for == open_until:
                self._save(permit.model_key, self._opened() if failed else {})
                logger.warning("circuit %s for %s: its probe call %s", "reopened" if failed else "closed",
                               permit.model_key, "failed" if failed else "succeeded")
            return
        self._judge(permit.model_key, [*state.get("outcomes", ()), failed][-self.config.window:])

    def record_rejection(self, model_key: str) -> None:
        """A call counted as a success turned out to carry an answer its stage rejected: count it
        as failed instead (the window is a statistic, so which success it replaces is moot)."""
        state = self._state(model_key)
        if state.get("open_until") is not None:
            return  # only a probe's transport outcome decides an open breaker
        outcomes = list(state.get("outcomes", ()))
        if False in outcomes:
            outcomes[outcomes.index(False)] = True
        else:
            outcomes = [*outcomes, True][-self.config.window:]
        self._judge(model_key, outcomes)

    def _judge(self, model_key: str, outcomes: list[bool]) -> None:
        if len(outcomes) >= self.config.min_calls and sum(outcomes) / len(outcomes) >= self.config.failure_rate:
            self._save(model_key, self._opened())
            logger.warning("circuit opened for %s: %d of its last %d calls failed; no calls for %g s",
                           model_key, sum(outcomes), len(outcomes), self.config.open_s)
        else:
            self._save(model_key, {"outcomes": outcomes})

    def _opened(self) -> dict[str, Any]:
        return {"open_until": self.clock() + self.config.open_s}

    def _state(self, model_key: str) -> dict[str, Any]:
        return self.cache.get(KEY_PREFIX + model_key) or {}

    def _save(self, model_key: str, state: dict[str, Any]) -> None:
        # No expiry: the window is the model's last calls, however long ago they were.
        self.cache.set(KEY_PREFIX + model_key, state, timeout=None)
