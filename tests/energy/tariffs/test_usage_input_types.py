"""Usage may be a Decimal, int, float or str; floats are read by their shortest repr, so
binary-float noise never changes a bill or the credit window."""

from decimal import Decimal

from energy.tariffs import PlanTerms, credit_applies, monthly_bill, to_decimal


def test_it_bills_decimal_int_float_and_str_usage_alike():
    terms = PlanTerms(energy_rate_cents=Decimal("12"), tdu_rate_cents=Decimal("4.5"))

    # 1200.1 × (12 + 4.5)/100 = 1200.1 × 0.165 = 198.0165 -> 198.02
    expected = Decimal("198.02")
    assert monthly_bill(terms, Decimal("1200.1")) == expected
    assert monthly_bill(terms, "1200.1") == expected
    assert monthly_bill(terms, 1200.1) == expected
    # 1200 × 0.165 = 198.00
    assert monthly_bill(terms, 1200) == Decimal("198.00")


def test_it_reads_floats_without_binary_noise():
    assert to_decimal(1.15) == Decimal("1.15")  # Decimal(1.15) would be 1.149999999999999911...
    assert to_decimal(Decimal("1.15")) == Decimal("1.15")
    assert to_decimal(7) == Decimal("7")
    assert to_decimal("7.25") == Decimal("7.25")


def test_it_rounds_float_usage_as_the_decimal_it_prints_as():
    terms = PlanTerms(energy_rate_cents=Decimal("10"))
    # 1.15 × 10/100 = 0.115 -> 0.12 (the raw binary float would give 0.11499… -> 0.11)
    assert monthly_bill(terms, 1.15) == Decimal("0.12")


def test_it_applies_the_credit_to_float_usage_exactly_at_the_minimum():
    terms = PlanTerms(
        energy_rate_cents=Decimal("10"),
        bill_credit=Decimal("50"),
        credit_min_kwh=Decimal("1000.3"),
    )
    assert credit_applies(terms, to_decimal(1000.3))  # the raw float is 1000.29999…
    # 1000.3 × 10/100 − 50 = 100.03 − 50 = 50.03
    assert monthly_bill(terms, 1000.3) == Decimal("50.03")
