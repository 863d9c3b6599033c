"""A month with zero usage costs only the fixed fees (plus any credit the window allows)."""

from decimal import Decimal

from energy.tariffs import PlanTerms, Tier, monthly_bill


def test_it_charges_only_fixed_fees_for_a_flat_plan():
    terms = PlanTerms(
        energy_rate_cents=Decimal("12"),
        base_fee=Decimal("9.95"),
        tdu_fixed=Decimal("4.23"),
        tdu_rate_cents=Decimal("4.5"),
    )
    # 9.95 + 4.23 + 0 + 0 = 14.18
    assert monthly_bill(terms, 0) == Decimal("14.18")


def test_it_charges_only_fixed_fees_for_a_tiered_plan():
    terms = PlanTerms(
        tiers=(Tier(Decimal("1000"), Decimal("12")), Tier(None, Decimal("15"))),
        base_fee=Decimal("9.95"),
    )
    # 9.95 + 0 = 9.95
    assert monthly_bill(terms, Decimal("0")) == Decimal("9.95")


def test_it_returns_zero_cents_without_any_fee():
    bill = monthly_bill(PlanTerms(energy_rate_cents=Decimal("12")), Decimal("0"))
    # 0 × 12/100 = 0 -> "0.00"
    assert str(bill) == "0.00"


def test_it_applies_a_credit_whose_window_starts_at_zero():
    terms = PlanTerms(
        energy_rate_cents=Decimal("12"),
        base_fee=Decimal("20"),
        bill_credit=Decimal("5"),
        credit_min_kwh=Decimal("0"),
        credit_max_kwh=Decimal("100"),
    )
    # 20 + 0 − 5 = 15.00
    assert monthly_bill(terms, 0) == Decimal("15.00")
