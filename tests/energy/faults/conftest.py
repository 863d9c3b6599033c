"""A catalog whose `fast` slot is a chat model behind the fault server, with the rules engine
behind it: every fault must end in a served answer and complete records."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from evaluation.models import AIModel, Provider, Slot
from tests.energy.faults.outcome import REMOTE_KEY
from tests.fakes.fault_server import FaultServer

# Short enough that a hang costs a second per attempt, long enough for loopback. The read timeout
# is also the hard bound on one whole call (energy/calls.py), a trickling stream included.
CONNECT_TIMEOUT_S = 1.0
READ_TIMEOUT_S = 1.0


@pytest.fixture(autouse=True)
def empty_cache(db):
    """Cached answers and circuit-breaker state live in the cache; each test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fault_server() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server
    assert server.errors == [], "the fault server itself failed:\n" + "\n".join(server.errors)


@pytest.fixture
def fault_model(fault_server) -> AIModel:
    provider = Provider.objects.create(
        name="fault-server", kind=Provider.Kind.OPENAI_COMPATIBLE, base_url=fault_server.base_url,
        connect_timeout_s=CONNECT_TIMEOUT_S, read_timeout_s=READ_TIMEOUT_S,
    )
    return AIModel.objects.create(key=REMOTE_KEY, display_name="Fault server chat", provider=provider,
                                  provider_model="fault-chat", prompt_style=AIModel.PromptStyle.CHAT)


@pytest.fixture
def fault_catalog(fault_model, rules_model) -> dict[str, Slot]:
    """`fast` on the fault server, `accurate` on the rules engine: a fast request's chain is remote → rules."""
    return {
        "fast": Slot.objects.create(name="fast", model=fault_model),
        "accurate": Slot.objects.create(name="accurate", model=rules_model),
    }
