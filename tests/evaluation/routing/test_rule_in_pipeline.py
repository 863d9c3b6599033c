import pytest
from asgiref.sync import async_to_sync

from energy.pipeline.orchestrator import run_pipeline
from evaluation.catalog.routes import active_route
from tests.energy.pipeline.conftest import OFFERS, ReplayingModel, make_inputs

MANY_PLANS_RULE = {"stage": "plan_scoring", "signal": "eligible_plans", "above": 3, "slot": "accurate"}


@pytest.mark.django_db
@pytest.mark.parametrize(("plan_count", "scoring_model"), [(3, "test/rules-a"), (5, "test/rules-b")])
def test_it_scores_many_eligible_plans_on_the_accurate_slot(slots, set_policy, plan_count, scoring_model):
    set_policy(rules=[MANY_PLANS_RULE])
    inputs = make_inputs(plans=tuple(OFFERS.values())[:plan_count])  # no constraints: every plan is eligible
    fake = ReplayingModel()

    result = async_to_sync(run_pipeline)(inputs, route=active_route("fast"), caller=fake)

    assert fake.asked("plan_scoring") == [scoring_model]
    assert result.models == {"usage_summary": "test/rules-a", "plan_scoring": scoring_model, "narrative": "test/rules-a"}
