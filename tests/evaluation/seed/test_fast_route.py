"""On the seeded catalog a fast request asks the embedded model for the narrative only; the
usage summary and the plan scores come from the rules engine, with the usual fallbacks."""

import pytest

from evaluation.catalog.routes import active_route


@pytest.mark.django_db
def test_fast_requests_use_the_model_for_the_narrative_only(seed_demo):
    seed_demo()

    route = active_route("fast")

    assert [m.key for m in route.chain("narrative")] == ["local/gemma-3-270m", "builtin/rules"]
    assert route.chain("usage_summary")[0].key == "builtin/rules"
    assert route.chain("plan_scoring")[0].key == "builtin/rules"
    assert [m.key for m in active_route("accurate").chain("usage_summary")] == ["builtin/rules"]
