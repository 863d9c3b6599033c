"""One call through a RecordingCaller against a scripted server, for the Hypothesis properties:
synchronous (Hypothesis runs sync tests), on a fake clock, with a fresh cache every time."""

import uuid
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from django.core.cache import cache

from energy.calls import RecordingCaller
from energy.llm.base import ProviderError
from energy.llm.retry import RetryPolicy
from energy.models import LLMCall
from tests.energy.llm.streams import CHAT, OPENROUTER
from tests.energy.resilience.clock import FakeClock
from tests.energy.resilience.faults import OK, Fault, ScriptedServer

HOST = "llm.test"  # OPENROUTER's
# Hypothesis runs the test body once per example inside one test, so fixtures cannot be fresh.
PROPERTY_SETTINGS = {"max_examples": 60, "deadline": None}


@dataclass
class CallResult:
    succeeded: bool
    requests: int
    sleeps: list[float]
    attempts: list[int]  # of the LLMCall rows, oldest first


def call_once(server: ScriptedServer, script: list[Fault], policy: RetryPolicy, *, deadline_s: float = 1e6) -> CallResult:
    cache.clear()
    server.reset()
    server.play(HOST, script)
    clock = FakeClock()
    context = uuid.uuid4().hex
    caller = RecordingCaller(context=context, policy=policy, deadline=clock.monotonic() + deadline_s, sleep=clock.sleep,
                             clock=clock.monotonic, wall_clock=clock.time)
    try:
        async_to_sync(caller.complete)(OPENROUTER, CHAT)
        succeeded = True
    except ProviderError:
        succeeded = False
    attempts = list(LLMCall.objects.filter(context=context).order_by("pk").values_list("attempt", flat=True))
    return CallResult(succeeded=succeeded, requests=len(server.hosts), sleeps=clock.sleeps, attempts=attempts)


def expected_attempts(script: list[Fault], policy: RetryPolicy) -> int:
    """The retry rules, stated independently of the product: stop on success, on a failure not
    worth retrying, on a Retry-After past the cap, or when the budget is spent."""
    for attempt, fault in enumerate([*script, OK], start=1):
        too_long = fault.retry_after_s is not None and fault.retry_after_s > policy.retry_after_cap_s
        if fault.kind == "ok" or not fault.transient or too_long or attempt == policy.max_attempts:
            return attempt
    raise AssertionError("unreachable: the script ends with OK")
