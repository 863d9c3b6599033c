"""The reference ranking: the order a customer expects from what they stated, as three rules
(docs/ranking.md has worked examples).

1. Plans that meet every hard constraint (budget, minimum renewable share, contract length) come
   before plans that break one.
2. Then by value. With no stated preference, value is the year's cost: a plan more than
   NEAR_TIE dearer never outranks a cheaper one. With `prefer_renewable`, the year's cost is
   discounted by RENEWABLE_ALLOWANCE for every 10 points of renewable share, so a greener plan
   may cost up to that much more per year for each 10 points it is greener, and still rank first.
3. Near-ties: a plan whose value is within NEAR_TIE of the plan ranked above it moves ahead of it
   when it is greener, or as green with a shorter contract. It only ever passes plans it nearly
   ties with, so rule 2's promise holds.

The rule lives here and only here: the rules engine answers with it, the benchmarks' ranking
check scores against it, and the rules engine's why says which rule put its first plan first."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from energy.pipeline.inputs import PlanOffer

NEAR_TIE = Decimal("0.01")  # 1 % of the year's cost (or value)
RENEWABLE_ALLOWANCE = Decimal("0.02")  # 2 % of the year's cost per 10 points of renewable share


@dataclass(frozen=True)
class Candidate:
    plan: PlanOffer
    annual_cost: Decimal
    eligible: bool


def value(candidate: Candidate, prefer_renewable: bool) -> Decimal:
    """What rule 2 compares: lower is better."""
    if not prefer_renewable:
        return candidate.annual_cost
    return candidate.annual_cost / (1 + RENEWABLE_ALLOWANCE * candidate.plan.renewable_pct / 10)


def nearly_tied(dearer: Decimal, cheaper: Decimal) -> bool:
    return dearer <= cheaper * (1 + NEAR_TIE)


def tie_break(candidate: Candidate) -> tuple:
    """Rule 3's preference within a near-tie: greener, then a shorter contract."""
    return (-candidate.plan.renewable_pct, candidate.plan.contract_months)


def rank(candidates: Sequence[Candidate], prefer_renewable: bool) -> list[Candidate]:
    """Every candidate, best first; the order does not depend on the order given."""
    ranked: list[Candidate] = []
    for group in ([c for c in candidates if c.eligible], [c for c in candidates if not c.eligible]):
        # By value, then the year's cost and the plan id, so that the order is total.
        by_value = sorted(group, key=lambda c: (value(c, prefer_renewable), c.annual_cost, c.plan.id))
        placed: list[Candidate] = []
        for candidate in by_value:
            position = len(placed)
            while position > 0 and passes(candidate, placed[position - 1], prefer_renewable):
                position -= 1
            placed.insert(position, candidate)
        ranked += placed
    return ranked


def passes(candidate: Candidate, above: Candidate, prefer_renewable: bool) -> bool:
    return (nearly_tied(value(candidate, prefer_renewable), value(above, prefer_renewable))
            and tie_break(candidate) < tie_break(above))


def score(candidate: Candidate, best_value: Decimal, prefer_renewable: bool) -> float:
    """0–100: the best value (rule 2) among the plans that may be chosen scores 100, a plan of
    twice that value 50. A plan moved ahead by a near-tie can score up to a point below the
    plan it passed."""
    mine = value(candidate, prefer_renewable)
    if mine <= 0 or mine <= best_value:
        return 100.0
    return round(float(best_value / mine) * 100, 1)


def why_first(ranked: Sequence[Candidate], prefer_renewable: bool) -> str:
    """Which rule put the first plan first, in words (no numbers: a why's numbers must be facts)."""
    first = ranked[0]
    pool = [c for c in ranked if c.eligible == first.eligible]
    cheapest = min(pool, key=lambda c: (c.annual_cost, c.plan.id))
    closest = "" if first.eligible else " of the plans closest to your constraints"
    if first is cheapest:
        return f"the cheapest plan over the year{closest}"
    if prefer_renewable and first.plan.renewable_pct > cheapest.plan.renewable_pct and not nearly_tied(
            first.annual_cost, cheapest.annual_cost):
        return f"greener than the cheapest plan{closest}, for a difference in cost your preference for renewable energy allows"
    if first.plan.renewable_pct > cheapest.plan.renewable_pct:
        return f"nearly tied on cost with the cheapest plan{closest}, and greener"
    return f"nearly tied on cost with the cheapest plan{closest}, as green and with a shorter contract"
