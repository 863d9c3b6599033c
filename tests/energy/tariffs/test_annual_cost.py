"""The annual cost is the sum of the twelve rounded monthly bills."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from energy.tariffs import PlanTerms, annual_cost, energy_charge, monthly_bills

from .strategies import plans, usages


# The annual cost is the sum of the twelve rounded monthly bills.
def test_it_sums_the_rounded_monthly_bills_not_the_exact_ones():
    terms = PlanTerms(energy_rate_cents=Decimal("10.5"))
    usage = [Decimal("1")] * 12

    # each month: 1 × 10.5/100 = 0.105 -> 0.11
    assert monthly_bills(terms, usage) == [Decimal("0.11")] * 12
    # annual: 12 × 0.11 = 1.32
    assert annual_cost(terms, usage) == Decimal("1.32")
    # rounding the exact sum instead would give 12 × 0.105 = 1.26 -> 1.26
    exact = sum((energy_charge(terms, u) for u in usage), Decimal(0))
    assert exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == Decimal("1.26")


def test_it_sums_a_realistic_year():
    terms = PlanTerms(
        energy_rate_cents=Decimal("12"),
        base_fee=Decimal("9.95"),
        tdu_rate_cents=Decimal("4.5"),
    )
    usage = [800, 750, 700, 900, 1100, 1500, 1800, 1900, 1400, 1000, 850, 900]
    # bill = 9.95 + u × (12 + 4.5)/100 = 9.95 + 0.165·u
    expected = [
        Decimal("141.95"),  # 800:  9.95 + 132.00
        Decimal("133.70"),  # 750:  9.95 + 123.75
        Decimal("125.45"),  # 700:  9.95 + 115.50
        Decimal("158.45"),  # 900:  9.95 + 148.50
        Decimal("191.45"),  # 1100: 9.95 + 181.50
        Decimal("257.45"),  # 1500: 9.95 + 247.50
        Decimal("306.95"),  # 1800: 9.95 + 297.00
        Decimal("323.45"),  # 1900: 9.95 + 313.50
        Decimal("240.95"),  # 1400: 9.95 + 231.00
        Decimal("174.95"),  # 1000: 9.95 + 165.00
        Decimal("150.20"),  # 850:  9.95 + 140.25
        Decimal("158.45"),  # 900:  9.95 + 148.50
    ]
    assert monthly_bills(terms, usage) == expected
    # 12 × 9.95 (= 119.40) + 0.165 × 13600 kWh (= 2244.00) = 2363.40
    assert annual_cost(terms, usage) == Decimal("2363.40")


# Property: annual cost is the sum of the monthly bills and ignores the months' order.
years = st.lists(usages, min_size=12, max_size=12)


@given(terms=plans(), usage=years)
def test_it_equals_the_sum_of_the_monthly_bills(terms, usage):
    bills = monthly_bills(terms, usage)

    assert len(bills) == 12
    assert annual_cost(terms, usage) == sum(bills, Decimal(0))
    assert annual_cost(terms, usage).as_tuple().exponent == -2


@given(terms=plans(), usage_and_permutation=years.flatmap(lambda y: st.tuples(st.just(y), st.permutations(y))))
def test_it_is_invariant_under_permuting_the_months(terms, usage_and_permutation):
    usage, permuted = usage_and_permutation

    assert annual_cost(terms, permuted) == annual_cost(terms, usage)
