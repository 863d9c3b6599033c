"""Properties of every monthly bill, over generated plans and usage."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from energy.tariffs import Tier, credit_applies, energy_charge, monthly_bill

from .strategies import plans, usages


# Property: every monthly bill is >= 0 and has exactly two decimal places.
@given(terms=plans(), usage=usages)
def test_it_never_returns_a_negative_bill_and_always_two_places(terms, usage):
    bill = monthly_bill(terms, usage)

    assert bill >= 0
    assert not bill.is_signed()  # no "-0.00"
    assert bill.as_tuple().exponent == -2


# Property: the bill credit lowers a bill by at least 0 and at most bill_credit.
@given(terms=plans(credit="some"), usage=usages)
def test_it_changes_the_bill_by_at_most_the_credit(terms, usage):
    without = monthly_bill(replace(terms, bill_credit=Decimal("0")), usage)
    with_credit = monthly_bill(terms, usage)

    assert Decimal("0") <= without - with_credit <= terms.bill_credit
    if not credit_applies(terms, usage):
        assert with_credit == without


# Property: a flat rate equals a single open-ended tier at the same ¢/kWh.
@given(flat=plans(pricing="flat"), usage=usages)
def test_it_bills_a_flat_rate_like_one_open_ended_tier(flat, usage):
    tiered = replace(flat, energy_rate_cents=None, tiers=(Tier(up_to_kwh=None, cents=flat.energy_rate_cents),))

    assert energy_charge(tiered, usage) == energy_charge(flat, usage)
    assert monthly_bill(tiered, usage) == monthly_bill(flat, usage)


# Property: without a bill credit, using more never costs less (non-negative prices).
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


# Property: splitting a tier in two at any bound, with the same price, changes nothing.
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
