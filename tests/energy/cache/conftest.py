"""Each test starts with an empty response cache, and can count how often the pipeline runs."""

import pytest
from django.core.cache import cache

from energy import actions


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pipeline_runs(monkeypatch) -> list:
    """One entry per pipeline execution; cache hits and shared answers add none."""
    runs: list = []
    real_run_pipeline = actions.run_pipeline

    async def counted_run_pipeline(*args, **kwargs):
        runs.append(args)
        return await real_run_pipeline(*args, **kwargs)

    monkeypatch.setattr("energy.actions.run_pipeline", counted_run_pipeline)
    return runs
