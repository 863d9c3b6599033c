"""Property: splitting a tier in two at any bound, with the same price, changes nothing."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from energy.tariffs import Tier, energy_charge, monthly_bill

from .strategies import plans, usages


@given(terms=plans(pricing="tiered"), usage=usages, data=st.data())
def test_it_does_not_change_the_bill_when_a_tier_is_split(terms, usage, data):
    tiers = terms.tiers
    index = data.draw(st.integers(min_value=0, max_value=len(tiers) - 1), label="index")
    lower = Decimal("0") if index == 0 else tiers[index - 1].up_to_kwh
    upper = tiers[index].up_to_kwh
    top = upper if upper is not None else lower + Decimal("10000")
    assume(top - lower >= Decimal("0.02"))  # a 0.01 kWh wide tier has no 2-place inner point
    split = data.draw(
        st.decimals(
            min_value=lower + Decimal("0.01"),
            max_value=top - Decimal("0.01"),
            places=2,
            allow_nan=False,
            allow_infinity=False,
        ),
        label="split",
    )
    price = tiers[index].cents
    split_tiers = (
        *tiers[:index],
        Tier(up_to_kwh=split, cents=price),
        Tier(up_to_kwh=upper, cents=price),
        *tiers[index + 1 :],
    )
    split_terms = replace(terms, tiers=split_tiers)

    assert energy_charge(split_terms, usage) == energy_charge(terms, usage)
    assert monthly_bill(split_terms, usage) == monthly_bill(terms, usage)
