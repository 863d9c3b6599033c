"""Each monthly bill is rounded to cents with ROUND_HALF_UP (not banker's rounding)."""

from decimal import ROUND_HALF_EVEN, Decimal

from energy.tariffs import PlanTerms, energy_charge, monthly_bill


def test_it_rounds_half_a_cent_up_where_bankers_rounding_goes_down():
    terms = PlanTerms(energy_rate_cents=Decimal("10.5"))
    exact = energy_charge(terms, Decimal("1"))

    # 1 × 10.5/100 = 0.105 exactly
    assert exact == Decimal("0.105")
    # half-even would give 0.10 (0 is even) ...
    assert exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN) == Decimal("0.10")
    # ... half-up gives 0.11
    assert monthly_bill(terms, Decimal("1")) == Decimal("0.11")


def test_it_rounds_other_half_cents_up_too():
    # 1 × 12.5/100 = 0.125 -> 0.13 (half-even: 0.12)
    assert monthly_bill(PlanTerms(energy_rate_cents=Decimal("12.5")), Decimal("1")) == Decimal("0.13")
    # 9.98 + 1 × 10.5/100 = 10.085 -> 10.09 (half-even: 10.08)
    assert monthly_bill(
        PlanTerms(energy_rate_cents=Decimal("10.5"), base_fee=Decimal("9.98")), Decimal("1")
    ) == Decimal("10.09")
    # via the TDU rate: 1 × 0/100 + 1 × 14.5/100 = 0.145 -> 0.15 (half-even: 0.14)
    assert monthly_bill(
        PlanTerms(energy_rate_cents=Decimal("0"), tdu_rate_cents=Decimal("14.5")), Decimal("1")
    ) == Decimal("0.15")


def test_it_rounds_below_half_a_cent_down():
    # 1 × 10.4/100 = 0.104 -> 0.10
    assert monthly_bill(PlanTerms(energy_rate_cents=Decimal("10.4")), Decimal("1")) == Decimal("0.10")
    # 1 × 10.4999/100 = 0.104999 -> 0.10
    assert monthly_bill(PlanTerms(energy_rate_cents=Decimal("10.4999")), Decimal("1")) == Decimal("0.10")


def test_it_always_returns_exactly_two_decimal_places():
    # 1000 × 12/100 = 120 -> "120.00"
    bill = monthly_bill(PlanTerms(energy_rate_cents=Decimal("12")), 1000)

    assert str(bill) == "120.00"
    assert bill.as_tuple().exponent == -2
