"""Flat-rate plans: energy at one ¢/kWh price, plus fixed fees and the TDU delivery rate."""

from decimal import Decimal

from energy.tariffs import PlanTerms, energy_charge, monthly_bill


def test_it_charges_the_flat_rate_per_kwh():
    terms = PlanTerms(energy_rate_cents=Decimal("12"))

    # 1000 kWh × 12 ¢ = 12000 ¢ = $120.00
    assert monthly_bill(terms, Decimal("1000")) == Decimal("120.00")
    # 1 kWh × 12 ¢ = $0.12
    assert monthly_bill(terms, Decimal("1")) == Decimal("0.12")


def test_it_adds_base_fee_tdu_fixed_and_tdu_rate():
    terms = PlanTerms(
        energy_rate_cents=Decimal("12"),
        base_fee=Decimal("9.95"),
        tdu_fixed=Decimal("4.23"),
        tdu_rate_cents=Decimal("4.5"),
    )

    # 9.95 + 4.23 + 1000 × 12/100 (= 120.00) + 1000 × 4.5/100 (= 45.00) = 179.18
    assert monthly_bill(terms, Decimal("1000")) == Decimal("179.18")


def test_it_bills_fractional_kwh_exactly():
    terms = PlanTerms(
        energy_rate_cents=Decimal("12"),
        base_fee=Decimal("9.95"),
        tdu_fixed=Decimal("4.23"),
        tdu_rate_cents=Decimal("4.5"),
    )

    # energy: 1200.5 × 12/100 = 144.06 (exact, unrounded)
    assert energy_charge(terms, Decimal("1200.5")) == Decimal("144.06")
    # 9.95 + 4.23 + 144.06 + 1200.5 × 4.5/100 (= 54.0225) = 212.2625 -> 212.26
    assert monthly_bill(terms, Decimal("1200.5")) == Decimal("212.26")
