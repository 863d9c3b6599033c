"""The response cache: answers already given, and answers being computed right now.

An answer is keyed by the request as validated (canonical JSON: sorted keys, every number
written one way, so 1000 and 1000.0 are the same input), the plans it was computed from, and
the route version (slots, canary arms, routing policy and the catalog revision of every model
the route can call). Answers live in Django's cache, so they are shared between processes once
the cache is (Redis). Identical requests in flight at the same time share one execution: within
a process they wait on its Future; across processes that share the cache, the first claims the
key in the cache (`cache.add`, atomic) and the others poll for its answer.
"""

import asyncio
import dataclasses
import hashlib
import logging
import math
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache

from energy.llm.base import Route
from energy.local_copies import Derived
from energy.pipeline.inputs import RecommendationInputs
from energy.schemas import RecommendationIn

logger = logging.getLogger(__name__)
PREFIX = "energy:response:"
FLIGHT_PREFIX = "energy:flight:"
SHORT_KEY_CHARS = 12
# How often a request waiting on another process's execution looks for its answer.
FOLLOW_POLL_S = 0.05
# A claim outlives the longest execution (REQUEST_DEADLINE_S) by this much, then lapses, so the
# claim of a process that died mid-request blocks nobody for long.
CLAIM_MARGIN_S = 5


def enabled() -> bool:
    return settings.RESPONSE_CACHE_TTL_S > 0


def canonical(value: Any) -> Any:
    """Numbers as normalized decimal strings (1000, 1000.0 and 1E+3 are all "1000"), dicts
    with sorted keys, dataclasses as dicts: the same input always dumps to the same text."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        text = format(Decimal(str(value)).normalize(), "f")
        return "0" if text == "-0" else text
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return canonical(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    raise TypeError(f"cannot key a {type(value).__name__}")


def digest(value: Any) -> str:
    return hashlib.sha256(orjson.dumps(canonical(value), option=orjson.OPT_SORT_KEYS)).hexdigest()


# The plans are the same tuple for every request until they change (energy.offers), and digesting
# them was most of a cache hit's key: digested once per tuple.
plans_digest: Derived[tuple, str] = Derived(lambda plans: digest(plans))


def request_key(payload: RecommendationIn, inputs: RecommendationInputs, route: Route) -> str:
    # The plans are part of the key: they are already loaded to build the inputs, and an edited
    # price must not be answered from before the edit.
    return digest({"input": payload.model_dump(), "route": route.version, "plans": plans_digest(inputs.plans),
                   "current_terms": inputs.current_terms})


def short(key: str) -> str:
    return key[:SHORT_KEY_CHARS]


@dataclass(frozen=True)
class Cached:
    response: dict[str, Any]
    stored_at: float  # epoch seconds, comparable across processes
    # True when `response` is this request's own copy (the cache unpickles a new one on every
    # read), False when other requests share it (an answer handed over by a request in flight).
    private: bool = False

    @property
    def age_s(self) -> float:
        return round(max(time.time() - self.stored_at, 0.0), 3)


def cacheable(response: dict[str, Any]) -> bool:
    """Only clean answers: one served after a model failed would outlive the model's recovery."""
    return not response["metadata"]["errors"]


# A cache that is down makes every request a miss; it must never fail one.
def look_up(key: str) -> Cached | None:
    """`lookup` for code already on Django's sync thread (a request's first trip to the database)."""
    try:
        stored = cache.get(PREFIX + key)
    except Exception:
        logger.warning("response cache unavailable; serving without it", exc_info=True)
        return None
    return None if stored is None else Cached(response=stored["response"], stored_at=stored["stored_at"], private=True)


async def lookup(key: str) -> Cached | None:
    return await sync_to_async(look_up)(key)


def _store(key: str, response: dict[str, Any]) -> None:
    try:
        cache.set(PREFIX + key, {"response": response, "stored_at": time.time()}, settings.RESPONSE_CACHE_TTL_S)
    except Exception:
        logger.warning("response cache unavailable; answer not stored", exc_info=True)


async def store(key: str, response: dict[str, Any]) -> None:
    await sync_to_async(_store)(key, response)


def _claim(key: str) -> bool:
    """Whether this process is to compute `key`'s answer: no other process sharing the cache is."""
    try:
        return cache.add(FLIGHT_PREFIX + key, time.time(), timeout=math.ceil(settings.REQUEST_DEADLINE_S) + CLAIM_MARGIN_S)
    except Exception:
        logger.warning("response cache unavailable; computing without a claim", exc_info=True)
        return True


async def claim(key: str) -> bool:
    return await sync_to_async(_claim)(key)


def _claim_unless_answered(key: str) -> tuple[bool, Cached | None]:
    """(claimed, None), (False, None) while another process holds the claim, or (False, answer).
    A request looks the cache up when it starts; another process may store the answer and
    release its claim before this one claims it: a claim won looks again (in the same trip), so
    that the answer is served rather than computed twice."""
    if not _claim(key):
        return False, None
    answered = look_up(key)
    if answered is not None:
        _release(key)
        return False, answered
    return True, None


def _release(key: str) -> None:
    try:
        cache.delete(FLIGHT_PREFIX + key)
    except Exception:  # the claim lapses by itself
        logger.warning("response cache unavailable; claim left to lapse", exc_info=True)


async def release(key: str) -> None:
    await sync_to_async(_release)(key)


async def settle(key: str, response: dict[str, Any] | None, *, release_claim: bool) -> None:
    """After an execution: store its answer (None: nothing to store) and release its claim (once
    the answer is stored, so that other processes' followers find it), in one trip."""

    def both() -> None:
        if response is not None:
            _store(key, response)
        if release_claim:
            _release(key)

    await sync_to_async(both)()


@dataclass(frozen=True)
class Turn:
    """What `follow_other_process` found: another process's answer, or this process's turn to
    compute it (`claimed`: with the claim held, to be released once the answer is stored)."""

    answer: Cached | None = None
    claimed: bool = False


async def follow_other_process(key: str, *, deadline_s: float | None = None) -> Turn:
    """Claim `key`, or wait for the process that holds the claim to store its answer. When that
    process finishes without a cacheable answer, the claim is free again and this one takes it;
    when waiting would take longer than a request may, this one computes without the claim."""
    give_up_at = time.monotonic() + (settings.REQUEST_DEADLINE_S if deadline_s is None else deadline_s)
    while True:
        claimed, answered = await sync_to_async(_claim_unless_answered)(key)
        if claimed:
            return Turn(claimed=True)
        if answered is not None:
            return Turn(answer=answered)
        if time.monotonic() >= give_up_at:
            return Turn()
        await asyncio.sleep(FOLLOW_POLL_S)
        cached = await lookup(key)
        if cached is not None:
            return Turn(answer=cached)


@dataclass(frozen=True)
class Outcome:
    """How a shared execution ended: an answer, a failure every follower repeats, or neither
    (the leader was cancelled, so a follower takes over)."""

    response: dict[str, Any] | None = None
    failure: Exception | None = None
    finished_at: float = 0.0


class InFlight:
    """Per event loop: request key -> the Future of the execution that computes its answer."""

    def __init__(self) -> None:
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Future]] = (
            weakref.WeakKeyDictionary())

    def _flights(self) -> dict[str, asyncio.Future]:
        return self._by_loop.setdefault(asyncio.get_running_loop(), {})

    def joinable(self, key: str) -> asyncio.Future | None:
        return self._flights().get(key)

    @contextmanager
    def lead(self, key: str) -> Iterator[asyncio.Future]:
        """Register an execution for `key`; the caller resolves the Future with an Outcome.
        Followers see an Outcome (never an exception), so nothing is left unretrieved."""
        flights = self._flights()
        flight = asyncio.get_running_loop().create_future()
        flights[key] = flight
        try:
            yield flight
        finally:
            if not flight.done():
                flight.set_result(Outcome())
            if flights.get(key) is flight:
                del flights[key]


in_flight = InFlight()
