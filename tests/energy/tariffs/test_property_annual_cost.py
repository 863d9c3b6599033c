"""Property: annual cost is the sum of the monthly bills and ignores the months' order."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from energy.tariffs import annual_cost, monthly_bills

from .strategies import plans, usages

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
