"""The bill credit applies when credit_min_kwh <= usage <= credit_max_kwh (both inclusive)."""

from decimal import Decimal

from energy.tariffs import PlanTerms, credit_applies, monthly_bill

# 10 ¢/kWh, a $50 credit between 1000 and 2000 kWh.
WINDOW = PlanTerms(
    energy_rate_cents=Decimal("10"),
    bill_credit=Decimal("50"),
    credit_min_kwh=Decimal("1000"),
    credit_max_kwh=Decimal("2000"),
)


def test_it_gives_no_credit_one_kwh_below_the_minimum():
    assert not credit_applies(WINDOW, Decimal("999"))
    # 999 × 10/100 = 99.90, no credit
    assert monthly_bill(WINDOW, Decimal("999")) == Decimal("99.90")


def test_it_gives_the_credit_exactly_at_the_minimum():
    assert credit_applies(WINDOW, Decimal("1000"))
    assert credit_applies(WINDOW, Decimal("1000.00"))  # same number, other exponent
    # 1000 × 10/100 − 50 = 100.00 − 50 = 50.00
    assert monthly_bill(WINDOW, Decimal("1000")) == Decimal("50.00")


def test_it_gives_the_credit_exactly_at_the_maximum():
    assert credit_applies(WINDOW, Decimal("2000"))
    # 2000 × 10/100 − 50 = 200.00 − 50 = 150.00
    assert monthly_bill(WINDOW, Decimal("2000")) == Decimal("150.00")


def test_it_gives_no_credit_one_kwh_above_the_maximum():
    assert not credit_applies(WINDOW, Decimal("2001"))
    # 2001 × 10/100 = 200.10, no credit
    assert monthly_bill(WINDOW, Decimal("2001")) == Decimal("200.10")


def test_it_has_no_upper_bound_when_credit_max_is_none():
    terms = PlanTerms(
        energy_rate_cents=Decimal("10"),
        bill_credit=Decimal("50"),
        credit_min_kwh=Decimal("1000"),
        credit_max_kwh=None,
    )
    assert credit_applies(terms, Decimal("5000"))
    # 5000 × 10/100 − 50 = 500.00 − 50 = 450.00
    assert monthly_bill(terms, Decimal("5000")) == Decimal("450.00")
    # still nothing below the minimum: 999 × 10/100 = 99.90
    assert monthly_bill(terms, Decimal("999")) == Decimal("99.90")


def test_it_gives_no_credit_for_fractional_usage_just_below_the_minimum():
    assert not credit_applies(WINDOW, Decimal("999.99"))
    # 999.99 × 10/100 = 99.999 -> 100.00, no credit (with it, it would be 50.00)
    assert monthly_bill(WINDOW, Decimal("999.99")) == Decimal("100.00")
    assert monthly_bill(WINDOW, 999.99) == Decimal("100.00")


def test_it_never_applies_a_zero_credit():
    terms = PlanTerms(energy_rate_cents=Decimal("10"), bill_credit=Decimal("0"))
    assert not credit_applies(terms, Decimal("1000"))
    # 1000 × 10/100 = 100.00
    assert monthly_bill(terms, Decimal("1000")) == Decimal("100.00")
