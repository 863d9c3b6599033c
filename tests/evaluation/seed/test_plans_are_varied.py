import pytest

from energy.models import Plan


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
