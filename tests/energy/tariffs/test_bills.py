"""Monthly bills: flat and tiered energy, fees, the bill credit window, rounding, the floor at zero, and the
usage accepted."""

from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from energy.tariffs import PlanTerms, Tier, annual_cost, credit_applies, energy_charge, monthly_bill, to_decimal


# Flat-rate plans: energy at one ¢/kWh price, plus fixed fees and the TDU delivery rate.
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


# Tiered plans are marginal: each kWh is priced by the tier its position falls in.
TWO_TIERS = PlanTerms(
    tiers=(
        Tier(up_to_kwh=Decimal("1000"), cents=Decimal("12")),
        Tier(up_to_kwh=None, cents=Decimal("15")),
    )
)

THREE_TIERS = PlanTerms(
    tiers=(
        Tier(up_to_kwh=Decimal("500"), cents=Decimal("10")),
        Tier(up_to_kwh=Decimal("1000"), cents=Decimal("12")),
        Tier(up_to_kwh=None, cents=Decimal("15")),
    )
)


def test_it_prices_usage_below_the_first_bound_at_the_first_tier():
    # 500 × 12 ¢ = 6000 ¢ = $60.00
    assert monthly_bill(TWO_TIERS, Decimal("500")) == Decimal("60.00")


def test_it_prices_usage_exactly_at_the_bound_entirely_in_the_first_tier():
    # 1000 × 12 ¢ = 12000 ¢ = $120.00
    assert monthly_bill(TWO_TIERS, Decimal("1000")) == Decimal("120.00")


def test_it_prices_only_the_kwh_above_the_bound_at_the_next_tier():
    # 1000 × 12 ¢ + 1 × 15 ¢ = 12015 ¢ = $120.15
    assert monthly_bill(TWO_TIERS, Decimal("1001")) == Decimal("120.15")
    # 1000 × 12 ¢ + 0.5 × 15 ¢ = 12007.5 ¢ = $120.075 (unrounded)
    assert energy_charge(TWO_TIERS, Decimal("1000.5")) == Decimal("120.075")


def test_it_prices_usage_deep_in_the_open_ended_last_tier():
    # 1000 × 12 ¢ + 1500 × 15 ¢ = 12000 + 22500 = 34500 ¢ = $345.00
    assert monthly_bill(TWO_TIERS, Decimal("2500")) == Decimal("345.00")


def test_it_prices_three_tiers_marginally():
    # below the first bound: 400 × 10 = 4000 ¢ = $40.00
    assert monthly_bill(THREE_TIERS, Decimal("400")) == Decimal("40.00")
    # at the first bound: 500 × 10 = 5000 ¢ = $50.00
    assert monthly_bill(THREE_TIERS, Decimal("500")) == Decimal("50.00")
    # one above it: 5000 + 1 × 12 = 5012 ¢ = $50.12
    assert monthly_bill(THREE_TIERS, Decimal("501")) == Decimal("50.12")
    # at the second bound: 5000 + 500 × 12 = 11000 ¢ = $110.00
    assert monthly_bill(THREE_TIERS, Decimal("1000")) == Decimal("110.00")
    # one above it: 11000 + 1 × 15 = 11015 ¢ = $110.15
    assert monthly_bill(THREE_TIERS, Decimal("1001")) == Decimal("110.15")
    # in the open-ended tier: 11000 + 1000 × 15 = 26000 ¢ = $260.00
    assert monthly_bill(THREE_TIERS, Decimal("2000")) == Decimal("260.00")


def test_it_adds_fees_and_tdu_rate_on_top_of_tiered_energy():
    terms = PlanTerms(
        tiers=TWO_TIERS.tiers,
        base_fee=Decimal("9.95"),
        tdu_fixed=Decimal("4.23"),
        tdu_rate_cents=Decimal("4"),
    )
    # 9.95 + 4.23 + (1000 × 12 + 200 × 15)/100 (= 150.00) + 1200 × 4/100 (= 48.00) = 212.18
    assert monthly_bill(terms, Decimal("1200")) == Decimal("212.18")


# The bill credit applies when credit_min_kwh <= usage <= credit_max_kwh (both inclusive).
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


# A credit larger than the charges floors the bill at 0.00, never a negative amount.
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


# Each monthly bill is rounded to cents with ROUND_HALF_UP (not banker's rounding).
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


# A month with zero usage costs only the fixed fees (plus any credit the window allows).
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


# Usage may be a Decimal, int, float or str; floats are read by their shortest repr, so binary-float noise never
# changes a bill or the credit window.
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


# Negative usage is an input error, whatever its type.
TERMS = PlanTerms(energy_rate_cents=Decimal("12"))


@pytest.mark.parametrize("usage", [Decimal("-1"), Decimal("-0.01"), -1, -0.5, "-0.01"])
def test_it_raises_value_error_for_negative_usage(usage):
    with pytest.raises(ValueError, match="negative"):
        monthly_bill(TERMS, usage)


def test_it_raises_value_error_when_any_month_is_negative():
    with pytest.raises(ValueError, match="negative"):
        annual_cost(TERMS, [100] * 11 + [-1])
