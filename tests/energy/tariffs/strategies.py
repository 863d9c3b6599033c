"""Hypothesis strategies that build valid `PlanTerms` (shared by the property tests)."""

from decimal import Decimal

from hypothesis import strategies as st

from energy.tariffs import PlanTerms, Tier


def _decimals(max_value: str, places: int, min_value: str = "0") -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=Decimal(min_value),
        max_value=Decimal(max_value),
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


dollars = _decimals("200", places=2)  # base_fee, tdu_fixed, bill_credit ($)
cents = _decimals("60", places=4)  # ¢/kWh prices
usages = _decimals("10000", places=2)  # kWh in one month
bounds = _decimals("5000", places=2, min_value="0.01")  # a tier's up_to_kwh


@st.composite
def tier_tuples(draw: st.DrawFn, min_tiers: int = 1, max_tiers: int = 4) -> tuple[Tier, ...]:
    """Tiers with strictly increasing positive bounds and an open-ended last tier."""
    finite = sorted(draw(st.lists(bounds, min_size=min_tiers - 1, max_size=max_tiers - 1, unique=True)))
    prices = draw(st.lists(cents, min_size=len(finite) + 1, max_size=len(finite) + 1))
    ups: list[Decimal | None] = [*finite, None]
    return tuple(Tier(up_to_kwh=up, cents=c) for up, c in zip(ups, prices, strict=True))


@st.composite
def plans(draw: st.DrawFn, *, pricing: str = "any", credit: str = "any") -> PlanTerms:
    """Valid PlanTerms with non-negative prices.

    pricing: "flat", "tiered" or "any"; credit: "none" (bill_credit=0), "some" (bill_credit>0)
    or "any".
    """
    if pricing == "any":
        pricing = draw(st.sampled_from(["flat", "tiered"]))
    if pricing == "flat":
        rate, tiers = draw(cents), None
    else:
        rate, tiers = None, draw(tier_tuples())

    if credit == "none":
        bill_credit = Decimal("0")
    elif credit == "some":
        bill_credit = draw(_decimals("200", places=2, min_value="0.01"))
    else:
        bill_credit = draw(dollars)
    credit_min = draw(_decimals("3000", places=2))
    credit_max = draw(st.none() | _decimals("3000", places=2).map(lambda span: credit_min + span))

    return PlanTerms(
        energy_rate_cents=rate,
        tiers=tiers,
        base_fee=draw(dollars),
        tdu_fixed=draw(dollars),
        tdu_rate_cents=draw(cents),
        bill_credit=bill_credit,
        credit_min_kwh=credit_min,
        credit_max_kwh=credit_max,
    )
