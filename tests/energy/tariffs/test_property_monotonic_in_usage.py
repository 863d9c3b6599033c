"""Property: without a bill credit, using more never costs less (non-negative prices)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from energy.tariffs import monthly_bill

from .strategies import plans, usages


@given(terms=plans(pricing="flat", credit="none"), a=usages, b=usages)
def test_it_is_monotonic_in_usage_for_flat_plans(terms, a, b):
    low, high = sorted((a, b))
    assert monthly_bill(terms, low) <= monthly_bill(terms, high)


@given(terms=plans(pricing="tiered", credit="none"), a=usages, b=usages)
def test_it_is_monotonic_in_usage_for_tiered_plans(terms, a, b):
    low, high = sorted((a, b))
    assert monthly_bill(terms, low) <= monthly_bill(terms, high)


@given(terms=plans(credit="none"), usage=usages, step=st.sampled_from(["0.01", "1"]))
def test_it_is_monotonic_across_small_steps(terms, usage, step):
    # small steps land right next to tier bounds more often than two independent draws
    assert monthly_bill(terms, usage) <= monthly_bill(terms, usage + Decimal(step))
