"""Per API key limits: a rate (requests per minute, with a burst) and a quota (recommendations
asked for per UTC day), held in the shared cache so that they hold across every process; and a
cap on the key's recommendations queued or running (QueueFull, energy.actions).

The rate is a token bucket kept as GCRA's one number, the "theoretical arrival time" (`tat`): a
request is let in while `tat` is at most `burst` intervals ahead of now, and moves it one interval
on. The day's count rides in the same entry, so a request is checked and counted in one atomic
step: a Lua script on Redis, the row's lock on the database cache (SharedDatabaseCache.update).
Both run `take`'s rules (the script repeats them; the tests run both on the same cases). A request
refused changes nothing.

A cache that is down lets requests in (logged): limits protect the service, they must not be
what takes it down."""

import logging
import math
import time
from dataclasses import astuple, dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured

from energy.models import ApiKey
from energy.problems import ClientError
from energy.shared_cache import SharedDatabaseCache

logger = logging.getLogger(__name__)

KEY_PREFIX = "ratelimit:"
DAY_S = 86_400
RATE, DAILY = "rate", "daily"  # the policies' names in the RateLimit headers
# Where a request's Standing waits for its response's headers (energy.rate_limit_headers).
STANDING_ATTRIBUTE = "rate_limit_standing"
# A key at its cap of queued requests is asked to come back after this: about a queued
# recommendation's time on the cluster.
QUEUE_FULL_RETRY_AFTER_S = 5
# An entry outlives what it remembers by this much.
TTL_MARGIN_S = 60


@dataclass(frozen=True)
class Limits:
    """A key's limits, its own where set, else the settings'; 0 means none."""

    per_minute: int
    burst: int
    per_day: int
    max_queued: int

    @classmethod
    def of(cls, key: ApiKey) -> "Limits":
        def own(value: int | None, default: int) -> int:
            return default if value is None else value
        return cls(per_minute=own(key.rate_per_minute, settings.API_KEY_RATE_PER_MINUTE),
                   burst=settings.API_KEY_RATE_BURST, per_day=own(key.daily_quota, settings.API_KEY_DAILY_QUOTA),
                   max_queued=own(key.max_queued, settings.API_KEY_MAX_QUEUED))

    @property
    def interval_s(self) -> float:
        return 60 / self.per_minute if self.per_minute else 0.0


@dataclass(frozen=True)
class Bucket:
    tat: float  # epoch seconds; at most `burst` intervals ahead of now while requests are let in
    day: int  # days since the epoch (UTC) that `used` counts
    used: int


def take(bucket: Bucket | None, now: float, limits: Limits, *, metered: bool) -> tuple[Bucket, str | None]:
    """The bucket after one request at `now`, and the policy that refused it (None: let in)."""
    today = int(now // DAY_S)
    tat = max(bucket.tat, now) if bucket else now
    used = bucket.used if bucket and bucket.day == today else 0
    if limits.per_minute and tat + limits.interval_s - now > limits.burst * limits.interval_s:
        return Bucket(tat, today, used), RATE
    if metered and limits.per_day and used >= limits.per_day:
        return Bucket(tat, today, used), DAILY
    return Bucket(tat + limits.interval_s, today, used + (1 if metered else 0)), None


# `take` in Lua, on the entry's hash (tat, day, used); floats travel as strings ("%.17g": exact).
TAKE = """
local now, interval, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local per_day, metered, ttl = tonumber(ARGV[4]), ARGV[5] == '1', tonumber(ARGV[6])
local stored = redis.call('HMGET', KEYS[1], 'tat', 'day', 'used')
local today = math.floor(now / 86400)
local tat = math.max(tonumber(stored[1]) or now, now)
local used = 0
if tonumber(stored[2]) == today then used = tonumber(stored[3]) end
local refused = ''
if interval > 0 and tat + interval - now > burst * interval then
  refused = 'rate'
elseif metered and per_day > 0 and used >= per_day then
  refused = 'daily'
else
  tat = tat + interval
  if metered then used = used + 1 end
  redis.call('HSET', KEYS[1], 'tat', string.format('%.17g', tat), 'day', today, 'used', used)
  redis.call('EXPIRE', KEYS[1], ttl)
end
return {string.format('%.17g', tat), tostring(today), tostring(used), refused}
"""


@dataclass(frozen=True)
class Standing:
    """Where a key stands after a request: what the RateLimit headers and Retry-After say."""

    limits: Limits
    bucket: Bucket
    now: float
    refused_by: str | None

    @property
    def retry_after_s(self) -> int:
        if self.refused_by == RATE:
            wait = self.bucket.tat + self.limits.interval_s - self.now - self.limits.burst * self.limits.interval_s
            return max(1, math.ceil(wait))
        return max(1, self._day_reset_s())

    def _day_reset_s(self) -> int:
        return math.ceil((self.bucket.day + 1) * DAY_S - self.now)

    def headers(self) -> dict[str, str]:
        """RateLimit-Policy and RateLimit, as draft-ietf-httpapi-ratelimit-headers writes them."""
        policies, states = [], []
        if self.limits.per_minute:
            interval, burst = self.limits.interval_s, self.limits.burst
            ahead = max(self.bucket.tat - self.now, 0.0)
            policies.append(f'"{RATE}";q={burst};w={math.ceil(burst * interval)}')
            states.append(f'"{RATE}";r={max(0, math.floor((burst * interval - ahead) / interval + 1e-9))};'
                          f't={math.ceil(ahead)}')
        if self.limits.per_day:
            policies.append(f'"{DAILY}";q={self.limits.per_day};w={DAY_S}')
            states.append(f'"{DAILY}";r={max(0, self.limits.per_day - self.bucket.used)};t={self._day_reset_s()}')
        return {"RateLimit-Policy": ", ".join(policies), "RateLimit": ", ".join(states)}


class RateLimited(ClientError):
    status = 429
    title = "Too many requests"

    def __init__(self, standing: Standing):
        self.standing = standing
        if standing.refused_by == RATE:
            message = (f"this API key may make {standing.limits.per_minute} requests a minute "
                       f"(bursts of {standing.limits.burst}); retry after {standing.retry_after_s} s")
        else:
            message = (f"this API key has asked for its {standing.limits.per_day} recommendations of the day (UTC); "
                       f"retry after {standing.retry_after_s} s")
        super().__init__(message)
        self.headers = {"Retry-After": str(standing.retry_after_s)}  # the RateLimit ones: energy.rate_limit_headers


class QueueFull(ClientError):
    status = 429
    title = "Too many requests"
    headers = {"Retry-After": str(QUEUE_FULL_RETRY_AFTER_S)}

    def __init__(self, cap: int):
        super().__init__(f"this API key already has {cap} recommendations queued or running, the most it may; "
                         f"retry once one has finished (after {QUEUE_FULL_RETRY_AFTER_S} s, or follow one)")


def check(key: ApiKey, *, metered: bool, now: float | None = None) -> Standing | None:
    """Count a request of `key` (`metered`: against its daily quota too) and say where the key
    stands; None when no limit applies or the cache is down. One trip to the cache."""
    limits = Limits.of(key)
    if not limits.per_minute and not (metered and limits.per_day):
        return None
    now = time.time() if now is None else now
    try:
        bucket, refused_by = _take_in_cache(KEY_PREFIX + str(key.pk), now, limits, metered=metered)
    except Exception:
        logger.warning("shared cache unavailable; API key %s… not rate-limited", key.prefix, exc_info=True)
        return None
    return Standing(limits, bucket, now, refused_by)


def _take_in_cache(cache_key: str, now: float, limits: Limits, *, metered: bool) -> tuple[Bucket, str | None]:
    cache = caches["default"]
    ttl = math.ceil(max(limits.burst * limits.interval_s, DAY_S if limits.per_day else 0)) + TTL_MARGIN_S
    if isinstance(cache, RedisCache):
        key = cache.make_and_validate_key(cache_key)
        # Django's RedisCache has no script call of its own: its client's connection runs it.
        tat, day, used, refused_by = cache._cache.get_client(key, write=True).eval(
            TAKE, 1, key, repr(now), repr(limits.interval_s), limits.burst, limits.per_day, int(metered), ttl)
        return Bucket(float(tat), int(day), int(used)), refused_by.decode() or None
    if isinstance(cache, SharedDatabaseCache):
        # Stored as a plain tuple, which any later version of Bucket can read.
        def change(stored: tuple | None) -> tuple[tuple, tuple[Bucket, str | None]]:
            taken = take(None if stored is None else Bucket(*stored), now, limits, metered=metered)
            return astuple(taken[0]), taken
        return cache.update(cache_key, change, timeout=ttl)
    raise ImproperlyConfigured("API key limits need the shared cache (Redis, or energy.shared_cache.SharedDatabaseCache)")
