"""seed_demo's plans: valid, varied, and some within a modest budget."""

from decimal import Decimal

import pytest

from energy.models import Plan
from energy.tariffs import monthly_bills

# A budget-conscious household: about 800 kWh a month, a little over 1,000 in summer.
MODERATE_USAGE = [700, 650, 600, 620, 720, 900, 1050, 1080, 880, 700, 640, 690]
LOW_USAGE = [420, 380, 350, 300, 320, 460, 490, 480, 410, 330, 310, 400]


def plans_within(budget: str, usage: list[int]) -> list[Plan]:
    """Plans whose every monthly bill is within the budget (DESIGN.md: "fits the budget")."""
    return [plan for plan in Plan.objects.all() if max(monthly_bills(plan.terms(), usage)) <= Decimal(budget)]


@pytest.mark.django_db
def test_it_seeds_plans_whose_terms_validate(seed_demo):
    seed_demo()

    plans = list(Plan.objects.all())
    assert len(plans) >= 18
    for plan in plans:
        plan.full_clean()  # runs Plan.clean(), which builds and validates PlanTerms
        assert plan.terms() is not None


@pytest.mark.django_db
def test_it_seeds_a_varied_market(seed_demo):
    seed_demo()

    plans = list(Plan.objects.all())
    assert any(p.tiers for p in plans)
    assert any(p.energy_rate_cents is not None for p in plans)
    assert any(p.bill_credit and p.credit_max_kwh is not None for p in plans)
    assert any(p.bill_credit and p.credit_max_kwh is None for p in plans)
    assert {0, 100} <= {p.renewable_pct for p in plans}
    assert {0, 36} <= {p.contract_months for p in plans}
    fees = {p.early_termination_fee for p in plans}
    assert min(fees) == 0
    assert max(fees) <= 295


@pytest.mark.django_db
def test_it_offers_several_plans_within_150_dollars_a_month(seed_demo):
    seed_demo()

    assert len(plans_within("150", MODERATE_USAGE)) >= 4
    assert len(plans_within("150", LOW_USAGE)) >= 10


@pytest.mark.django_db
def test_it_offers_fully_renewable_plans_on_short_contracts(seed_demo):
    seed_demo()

    short_and_green = Plan.objects.filter(renewable_pct=100, contract_months__lte=12)
    assert short_and_green.count() >= 3
    assert set(plans_within("150", MODERATE_USAGE)) & set(short_and_green)


@pytest.mark.django_db
def test_it_has_a_budget_that_no_plan_meets(seed_demo):
    seed_demo()

    assert plans_within("40", [2500] * 12) == []
