"""Each test starts without cached answers or circuit-breaker state, and can build a route that
fails outright: the fast slot on the remote model alone, with no rules engine to degrade to."""

import pytest
from django.core.cache import cache

from evaluation.models import RoutingPolicy


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def remote_only_route(remote_catalog) -> RoutingPolicy:
    """Fast requests go to the remote model only: no fallback slot, no rules engine."""
    return RoutingPolicy.objects.create(pk=1, fallback_slots={"fast": []}, degrade_to_rules=False)
