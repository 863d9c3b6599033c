"""A credit larger than the charges floors the bill at 0.00, never a negative amount."""

from decimal import Decimal

from energy.tariffs import PlanTerms, monthly_bill


def test_it_floors_a_negative_bill_at_zero():
    terms = PlanTerms(
        energy_rate_cents=Decimal("10"),
        base_fee=Decimal("5"),
        bill_credit=Decimal("100"),
        credit_min_kwh=Decimal("0"),
    )
    # 5 + 100 × 10/100 (= 10.00) − 100 = −85.00 -> floored to 0.00
    bill = monthly_bill(terms, Decimal("100"))

    assert bill == Decimal("0.00")
    assert str(bill) == "0.00"  # not "-0.00", not "0"


def test_it_floors_a_bill_that_is_negative_by_less_than_half_a_cent():
    terms = PlanTerms(
        energy_rate_cents=Decimal("10"),
        bill_credit=Decimal("10.00"),
        credit_min_kwh=Decimal("0"),
    )
    # 99.99 × 10/100 (= 9.999) − 10.00 = −0.001 -> floored to 0.00
    bill = monthly_bill(terms, Decimal("99.99"))

    assert bill == Decimal("0.00")
    assert str(bill) == "0.00"


def test_it_keeps_a_bill_that_the_credit_brings_exactly_to_zero():
    terms = PlanTerms(
        energy_rate_cents=Decimal("10"),
        base_fee=Decimal("20"),
        bill_credit=Decimal("30"),
        credit_min_kwh=Decimal("100"),
    )
    # 20 + 100 × 10/100 (= 10.00) − 30 = 0.00
    assert str(monthly_bill(terms, Decimal("100"))) == "0.00"
