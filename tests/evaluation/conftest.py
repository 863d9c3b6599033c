"""A council's cast for the catalog, switchboard and benchmark tests: three remote chat models
and a chairman, each behind its own fault server (real HTTP), priced 1–4 $ per million tokens so
that a council's cost is visibly the sum of its calls."""

from collections.abc import Iterator
from contextlib import ExitStack
from decimal import Decimal

import pytest
from django.core.cache import cache

from evaluation.catalog.councils import Composition
from evaluation.models import AIModel, Provider
from tests.fakes.fault_server import FaultServer

KEYS = ("remote/a", "remote/b", "remote/c", "remote/chair")
COUNCIL = "council/remote-trio"


def trio(**changes) -> Composition:
    """The three remote models, chaired by the fourth; synthesis waits for every ranking."""
    return Composition(**{"members": KEYS[:3], "chairman": "remote/chair", "ranking_share": 1.0, **changes})


@pytest.fixture
def servers() -> Iterator[dict[str, FaultServer]]:
    with ExitStack() as stack:
        yield {key: stack.enter_context(FaultServer()) for key in KEYS}


@pytest.fixture
def council_models(servers, db) -> Iterator[dict[str, AIModel]]:
    """The four remote models in the catalog; breakers start closed (they live in the cache)."""
    cache.clear()
    models = {}
    for price, key in enumerate(KEYS, start=1):
        provider = Provider.objects.create(name=f"fault-{key}", kind=Provider.Kind.OPENAI_COMPATIBLE,
                                           base_url=servers[key].base_url, connect_timeout_s=1, read_timeout_s=2)
        models[key] = AIModel.objects.create(key=key, display_name=key, provider=provider, provider_model=key,
                                             prompt_style=AIModel.PromptStyle.CHAT, price_input_per_mtok=Decimal(price),
                                             price_output_per_mtok=Decimal(price))
    yield models
    cache.clear()
