"""Which failed provider calls are worth another attempt, and how long to wait before it.

Pure rules with no I/O: `energy.calls.RecordingCaller` applies them, and it is the only place
that retries (the adapters make exactly one attempt each).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings

from energy.llm.base import (
    DeadlineExceeded,
    ProviderConnectionError,
    ProviderError,
    ProviderHTTPError,
    ProviderTimeout,
    StreamIncomplete,
)

RETRYABLE_STATUSES = frozenset({408, 409, 429})
CLOUDFLARE_CAPACITY = 3040  # "Capacity temporarily exceeded": try again, or another model
CLOUDFLARE_DAILY_LIMIT = 3036  # "daily allocation exceeded": nothing more until the quota resets
# 2 ** 62 seconds is past any cap; a larger exponent would overflow the float.
MAX_DOUBLINGS = 62


def is_transient(exc: BaseException) -> bool:
    """A failure that says the model is down or overloaded right now, so a later attempt may
    succeed. Any other failure (another 4xx, an unusable answer, a full local queue) would
    happen again; it is the runner's to fall back from."""
    if isinstance(exc, ProviderHTTPError):
        if exc.code == CLOUDFLARE_DAILY_LIMIT:
            return False
        return exc.code == CLOUDFLARE_CAPACITY or exc.status_code in RETRYABLE_STATUSES or exc.status_code >= 500
    if isinstance(exc, DeadlineExceeded):
        return False
    # Nothing of a broken stream has reached the client (stages parse whole answers), so a
    # stream that broke after its first token is as safe to retry as one that never started.
    return isinstance(exc, ProviderTimeout | ProviderConnectionError | StreamIncomplete)


def is_daily_limit(exc: BaseException) -> bool:
    return isinstance(exc, ProviderHTTPError) and exc.code == CLOUDFLARE_DAILY_LIMIT


def seconds_until_quota_reset(exc: ProviderHTTPError, now: datetime | None = None) -> float:
    """The provider's Retry-After when it gave one, else the next UTC midnight, when Workers AI
    resets its daily allocation."""
    if exc.retry_after_s is not None:
        return exc.retry_after_s
    now = now or datetime.now(UTC)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    return (midnight - now).total_seconds()


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    backoff_base_s: float = 0.25
    backoff_cap_s: float = 4.0
    retry_after_cap_s: float = 10.0

    @classmethod
    def from_settings(cls) -> "RetryPolicy":
        return cls(
            max_attempts=settings.LLM_MAX_ATTEMPTS,
            backoff_base_s=settings.LLM_BACKOFF_BASE_S,
            backoff_cap_s=settings.LLM_BACKOFF_CAP_S,
            retry_after_cap_s=settings.LLM_RETRY_AFTER_CAP_S,
        )

    def backoff_s(self, attempt: int, jitter: float) -> float:
        """Full jitter: `jitter` (uniform in [0, 1)) of base·2^(attempt-1), capped, so that callers
        that failed together do not come back together."""
        return jitter * min(self.backoff_cap_s, self.backoff_base_s * 2 ** min(attempt - 1, MAX_DOUBLINGS))

    def wait_before_retry(self, exc: ProviderError, attempt: int, jitter: float) -> float | None:
        """Seconds to wait after failed attempt number `attempt` before the next one, or None to
        stop and let the stage fall back: the budget is spent, the failure is not transient, or
        the provider asked for a longer wait than a request should spend asleep."""
        if attempt >= self.max_attempts or not is_transient(exc):
            return None
        asked = getattr(exc, "retry_after_s", None)
        if asked is None:
            return self.backoff_s(attempt, jitter)
        return asked if asked <= self.retry_after_cap_s else None
