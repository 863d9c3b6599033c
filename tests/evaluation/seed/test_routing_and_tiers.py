import pytest

from evaluation.models import AIModel, RoutingPolicy, Tier


@pytest.mark.django_db
def test_it_seeds_the_routing_policy_and_three_tiers_naming_catalog_models(seed_demo):
    seed_demo()
    seed_demo()

    policy = RoutingPolicy.objects.get(pk=1)
    assert policy.fallback_slots == {"fast": ["accurate"], "accurate": []}
    # A fast request asks the model only for the narrative (docs/ai-model-analysis.md).
    assert policy.stage_slots == {"fast": {"usage_summary": "exact", "plan_scoring": "exact"}}
    tiers = {t.name: t.assignments for t in Tier.objects.all()}
    assert set(tiers) == {"speed", "balanced", "cost"}
    for assignments in tiers.values():
        assert set(assignments) == {"fast", "accurate"}
        assert AIModel.objects.filter(key__in=assignments.values()).count() == len(set(assignments.values()))
