import pytest

from energy.models import Plan
from tests.evaluation.seed.budgets import MODERATE_USAGE, plans_within


@pytest.mark.django_db
def test_it_offers_fully_renewable_plans_on_short_contracts(seed_demo):
    seed_demo()

    short_and_green = Plan.objects.filter(renewable_pct=100, contract_months__lte=12)
    assert short_and_green.count() >= 3
    assert set(plans_within("150", MODERATE_USAGE)) & set(short_and_green)
