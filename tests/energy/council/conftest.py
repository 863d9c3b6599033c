"""Councils whose members and chairman are remote chat models, each behind its own fault server
(real HTTP through the product's adapter, retry layer and call recorder), so that each member can
be made to fail, hang or garble its answers on its own."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from decimal import Decimal

import pytest
from django.core.cache import cache

from energy.calls import RecordingCaller
from energy.llm.base import STAGES, CouncilSpec, ModelRef, Route
from energy.llm.retry import RetryPolicy
from energy.pipeline.inputs import RecommendationInputs
from tests.energy.pipeline.conftest import make_inputs
from tests.fakes.fault_server import FaultServer

COUNCIL_KEY = "council/test"
RULES = ModelRef(key="builtin/rules", provider_kind="rules", prompt_style="rules")
# Each member's price, so that a council's cost can be checked against the sum of its calls.
PRICES = {"member/a": Decimal("1"), "member/b": Decimal("2"), "member/c": Decimal("3"), "member/d": Decimal("4"),
          "chair/chat": Decimal("5")}


@pytest.fixture(autouse=True)
def empty_cache(db):
    """Breakers and provider pauses live in the cache; each test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def servers() -> Iterator[dict[str, FaultServer]]:
    """A fault server per model: member/a … member/d and chair/chat."""
    with ExitStack() as stack:
        running = {key: stack.enter_context(FaultServer()) for key in PRICES}
        yield running
    for key, server in running.items():
        assert server.errors == [], f"{key}'s fault server failed:\n" + "\n".join(server.errors)


def remote(key: str, server: FaultServer, *, read_timeout_s: float = 2.0) -> ModelRef:
    return ModelRef(key=key, provider_kind="openai_compatible", provider_model=key, base_url=server.base_url,
                    prompt_style="chat", price_input_per_mtok=PRICES[key], price_output_per_mtok=PRICES[key],
                    connect_timeout_s=1.0, read_timeout_s=read_timeout_s)


@pytest.fixture
def council_of(servers) -> Callable[..., ModelRef]:
    def build(*member_keys: str, chairman: str | ModelRef = "chair/chat", **spec) -> ModelRef:
        chair = chairman if isinstance(chairman, ModelRef) else remote(chairman, servers[chairman])
        return ModelRef(key=COUNCIL_KEY, provider_kind="council", prompt_style="council",
                        council=CouncilSpec(members=tuple(remote(k, servers[k]) for k in member_keys), chairman=chair,
                                            **spec))
    return build


def council_route(council: ModelRef) -> Route:
    """The council first on every stage, the rules engine behind it."""
    return Route(chains={stage: (council, RULES) for stage in STAGES}, version="council-test")


@pytest.fixture
def caller() -> RecordingCaller:
    # One attempt per call: a test of the council, not of retries (and of no backoff sleeps).
    return RecordingCaller(context="council-test", policy=RetryPolicy(max_attempts=1))


@pytest.fixture
def inputs() -> RecommendationInputs:
    return make_inputs()
