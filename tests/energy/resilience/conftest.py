"""The resilience tests' cast: a clock that sleeping advances (waits are recorded, never slept),
a caller built on it, remote models on pytest-httpx, and an empty cache around every test:
circuit breakers and provider quotas live in it."""

import pytest
from django.core.cache import cache

from energy.calls import RecordingCaller
from tests.energy.llm.streams import CLOUDFLARE_SECRET, OPENAI_SECRET
from tests.energy.resilience.clock import FakeClock
from tests.energy.resilience.faults import ScriptedServer


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def provider_secrets(monkeypatch):
    monkeypatch.setenv("PROVIDER_KEY_TEST_OPENAI", OPENAI_SECRET)
    monkeypatch.setenv("PROVIDER_KEY_TEST_CF", CLOUDFLARE_SECRET)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def caller(clock) -> RecordingCaller:
    """A caller whose retry waits advance the fake clock instead of sleeping."""
    return RecordingCaller(context="resilience", sleep=clock.sleep, clock=clock.monotonic, wall_clock=clock.time)


@pytest.fixture
def scripted_server(httpx_mock) -> ScriptedServer:
    """One server for every request of the test (Hypothesis examples included; call_once resets it)."""
    server = ScriptedServer()
    httpx_mock.add_callback(server, is_reusable=True)
    return server
