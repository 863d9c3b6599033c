import pytest

from evaluation.ratings import actions
from tests.evaluation.ratings.items import make_item


@pytest.mark.django_db
def test_it_refreshes_each_rated_or_benchmarked_model_once(monkeypatch):
    for n in range(6):
        make_item(f"test/model-{n % 2}", scenario_key=f"scenario:{n}", automatic_quality=0.5)
    refreshed = []
    monkeypatch.setattr(actions, "refresh_model_quality", lambda key: refreshed.append(key) or 0.5)

    assert actions.refresh_catalog_quality() == {"test/model-0": 0.5, "test/model-1": 0.5}
    assert sorted(refreshed) == ["test/model-0", "test/model-1"]
