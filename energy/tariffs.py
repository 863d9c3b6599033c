"""Exact bill arithmetic, as defined in DESIGN.md. Pure Python, no Django.

    bill(u) = base_fee + tdu_fixed + energy(u) + tdu_rate_cents·u/100 − credit(u)

floored at 0 and rounded to cents (ROUND_HALF_UP); the annual cost is the sum of the twelve
rounded monthly bills. Everything is Decimal: floats never touch money.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Tier:
    """Marginal tier: kWh above the previous tier's bound, up to `up_to_kwh`, cost `cents` each.
    `up_to_kwh=None` is the open-ended last tier."""

    up_to_kwh: Decimal | None
    cents: Decimal


@dataclass(frozen=True)
class PlanTerms:
    energy_rate_cents: Decimal | None = None
    tiers: tuple[Tier, ...] | None = None
    base_fee: Decimal = ZERO
    tdu_fixed: Decimal = ZERO
    tdu_rate_cents: Decimal = ZERO
    bill_credit: Decimal = ZERO
    credit_min_kwh: Decimal = ZERO
    credit_max_kwh: Decimal | None = None

    def __post_init__(self) -> None:
        if (self.energy_rate_cents is None) == (not self.tiers):
            raise ValueError("a plan needs exactly one of energy_rate_cents or tiers")
        if self.tiers:
            bounds = [t.up_to_kwh for t in self.tiers]
            if bounds[-1] is not None:
                raise ValueError("the last tier must be open-ended (up_to_kwh: null)")
            finite = bounds[:-1]
            if any(b is None for b in finite):
                raise ValueError("only the last tier may be open-ended")
            if any(b <= 0 for b in finite) or finite != sorted(set(finite)):
                raise ValueError("tier bounds must be positive and strictly increasing")
        if self.credit_max_kwh is not None and self.credit_max_kwh < self.credit_min_kwh:
            raise ValueError("credit_max_kwh must not be below credit_min_kwh")


def to_decimal(value: Decimal | int | float | str) -> Decimal:
    """Decimal from a client number without binary-float noise: 1200.1 stays 1200.1."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def energy_charge(terms: PlanTerms, usage_kwh: Decimal) -> Decimal:
    """Energy charge in dollars, unrounded."""
    if terms.energy_rate_cents is not None:
        return terms.energy_rate_cents * usage_kwh / HUNDRED
    cents = ZERO
    lower = ZERO
    for tier in terms.tiers or ():
        upper = usage_kwh if tier.up_to_kwh is None else min(usage_kwh, tier.up_to_kwh)
        if upper > lower:
            cents += (upper - lower) * tier.cents
        if tier.up_to_kwh is None or usage_kwh <= tier.up_to_kwh:
            break
        lower = tier.up_to_kwh
    return cents / HUNDRED


def credit_applies(terms: PlanTerms, usage_kwh: Decimal) -> bool:
    """The window is inclusive at both ends; no upper bound when credit_max_kwh is None."""
    if terms.bill_credit <= 0 or usage_kwh < terms.credit_min_kwh:
        return False
    return terms.credit_max_kwh is None or usage_kwh <= terms.credit_max_kwh


def monthly_bill(terms: PlanTerms, usage_kwh: Decimal | int | float | str) -> Decimal:
    usage = to_decimal(usage_kwh)
    if usage < 0:
        raise ValueError("usage must not be negative")
    bill = (
        terms.base_fee
        + terms.tdu_fixed
        + energy_charge(terms, usage)
        + terms.tdu_rate_cents * usage / HUNDRED
        - (terms.bill_credit if credit_applies(terms, usage) else ZERO)
    )
    return max(bill, ZERO).quantize(CENT, rounding=ROUND_HALF_UP)


def monthly_bills(terms: PlanTerms, usage_kwh: Sequence[Decimal | int | float | str]) -> list[Decimal]:
    return [monthly_bill(terms, u) for u in usage_kwh]


def annual_cost(terms: PlanTerms, usage_kwh: Sequence[Decimal | int | float | str]) -> Decimal:
    """Sum of the rounded monthly bills (not the rounded sum of exact bills)."""
    return sum(monthly_bills(terms, usage_kwh), ZERO)
