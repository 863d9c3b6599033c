import pytest

from tests.evaluation.seed.budgets import LOW_USAGE, MODERATE_USAGE, plans_within


@pytest.mark.django_db
def test_it_offers_several_plans_within_150_dollars_a_month(seed_demo):
    seed_demo()

    assert len(plans_within("150", MODERATE_USAGE)) >= 4
    assert len(plans_within("150", LOW_USAGE)) >= 10
