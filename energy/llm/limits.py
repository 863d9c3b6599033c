"""What a provider lets us send (its cap on calls in flight is energy.llm.concurrency): blocks on
calling it at all, the window its X-RateLimit headers announce (short ones are worth waiting
for), or a pause it asked for (a Retry-After longer than any request waits, a daily quota: never
waited for). Blocks are kept in Django's cache, like the circuit breakers, so every process
sharing it respects them.

A provider here is an account: models behind the same Cloudflare account or base URL, called
with the same key, share its limits. A block is kept per scope (energy.llm.scopes): one learned
by a live call binds every call, one learned by a benchmark call binds benchmarks only.
"""

import math
import re
import time
from collections.abc import Mapping

from django.core.cache import cache

from energy.llm.base import ModelRef
from energy.llm.scopes import LIVE, Scope, pauses_obeyed, scoped_key

KEY_PREFIX = "llm:quota:"
# Answers whose Retry-After asks every client of the provider to pause, not just this call.
PAUSE_STATUSES = frozenset({429, 503})
# X-RateLimit-Reset is seconds from now for most servers and a Unix time for some; no rate
# window lasts 30 years, so a bigger number is a time.
UNIX_TIME_ABOVE = 1e9
# OpenAI sends its resets as durations: "1s", "6m0s", "20ms".
DURATION = re.compile(r"(?:\d+(?:\.\d+)?(?:ms|h|m|s))+")
DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def provider_key(model: ModelRef) -> str:
    return f"{model.provider_kind}:{model.account_id or model.base_url.rstrip('/')}:{model.secret_env}"


def parse_rate_limit(headers: Mapping[str, str], *, now: float | None = None) -> tuple[int | None, float | None] | None:
    """(requests remaining, seconds until the window resets) from X-RateLimit-Remaining and
    X-RateLimit-Reset (or OpenAI's -requests variants); None when the response has neither."""
    by_name = {name.lower(): value for name, value in headers.items()}
    remaining = by_name.get("x-ratelimit-remaining", by_name.get("x-ratelimit-remaining-requests"))
    reset = by_name.get("x-ratelimit-reset", by_name.get("x-ratelimit-reset-requests"))
    if remaining is None and reset is None:
        return None
    return _count(remaining), _seconds(reset, time.time() if now is None else now)


def _count(value: str | None) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _seconds(value: str | None, now: float) -> float | None:
    if value is None:
        return None
    number = _number(value)
    if number is not None:
        return max(0.0, number - now) if number > UNIX_TIME_ABOVE else number
    if DURATION.fullmatch(value.strip()):
        return sum(float(amount) * UNIT_S[unit] for amount, unit in DURATION_PART.findall(value))
    return None


def _number(value: str | None) -> float | None:
    try:
        number = float(value or "")
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def observe(model: ModelRef, rate_limit: tuple[int | None, float | None] | None, *, scope: Scope = LIVE,
            now: float | None = None) -> None:
    """After a response to a call of `scope`: a provider that says no requests remain gets none
    until its reset."""
    if rate_limit is None:
        return
    remaining, reset_s = rate_limit
    if remaining == 0 and reset_s:
        block(model, reset_s, scope=scope, now=now)


def block(model: ModelRef, seconds: float, *, scope: Scope = LIVE, now: float | None = None,
          waitable: bool = True) -> None:
    """No calls of `scope` (and, for live, of every scope) to the model's provider for `seconds`
    (or longer, if it is already blocked longer). `waitable`: whether a call may wait the block
    out (an X-RateLimit window) rather than fall back at once (the provider said to come back
    later than any request waits)."""
    now = time.time() if now is None else now
    key = _key(model, scope)
    old_until, old_waitable = _read(cache.get(key))
    until = max(now + seconds, old_until)
    # Overlapping blocks: any that must not be waited for makes the whole one so.
    waitable = waitable and (old_waitable or old_until <= now)
    cache.set(key, {"until": until, "waitable": waitable}, timeout=math.ceil(until - now) + 1)


def _read(stored: object) -> tuple[float, bool]:
    if isinstance(stored, dict):
        return stored["until"], stored["waitable"]
    return 0.0, True


def _key(model: ModelRef, scope: Scope) -> str:
    return scoped_key(KEY_PREFIX, scope, provider_key(model))


def current_block(model: ModelRef, *, scope: Scope = LIVE, now: float | None = None) -> tuple[float, bool]:
    """(seconds until the model's provider takes calls of `scope` again, 0.0 when it does now;
    whether a call may wait that out), from the blocks that scope obeys, in one read."""
    now = time.time() if now is None else now
    found = cache.get_many([_key(model, obeyed) for obeyed in pauses_obeyed(scope)])
    blocks = [(until, waitable) for until, waitable in map(_read, found.values()) if until > now]
    if not blocks:
        return 0.0, True
    return max(until for until, _ in blocks) - now, all(waitable for _, waitable in blocks)


def blocked_for(model: ModelRef, *, scope: Scope = LIVE, now: float | None = None) -> float:
    """Seconds until the model's provider takes calls of `scope` again; 0.0 when it does now."""
    return current_block(model, scope=scope, now=now)[0]
