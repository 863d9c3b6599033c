import pytest

from tests.evaluation.seed.budgets import plans_within


@pytest.mark.django_db
def test_it_has_a_budget_that_no_plan_meets(seed_demo):
    seed_demo()

    assert plans_within("40", [2500] * 12) == []
