"""The deterministic facts, computed before any model is asked: exact bills, usage
statistics, constraint checks and a reference ranking. They ground the prompts and are the
yardstick every model output is validated against."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from energy.pipeline import ranking
from energy.pipeline.inputs import MONTHS, PlanOffer, RecommendationInputs
from energy.tariffs import CENT, annual_cost, monthly_bills

SUMMER = (5, 6, 7)  # June, July, August (0-based)
WINTER = (11, 0, 1)  # December, January, February
SEASONAL_RATIO = 1.15  # a season 15 % above the annual average is a peak
TREND_THRESHOLD = 0.05  # second half 5 % above/below the first half is a trend
MAX_CANDIDATES = 8  # plans shown to a model for scoring: enough choice, short prompt


@dataclass(frozen=True)
class UsageFacts:
    total_kwh: float
    average_monthly_kwh: float
    peak_month: str
    peak_kwh: float
    lowest_month: str
    lowest_kwh: float
    seasonal_pattern: str  # summer-peaking | winter-peaking | dual-peak | flat
    trend: str  # rising | falling | stable

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class PlanFacts:
    plan: PlanOffer
    monthly_costs: tuple[Decimal, ...]
    annual_cost: Decimal
    average_monthly_cost: Decimal
    highest_monthly_cost: Decimal
    annual_savings: Decimal | None
    violations: tuple[str, ...]  # hard constraints this plan breaks
    score: float  # 0–100, value for money by the reference ranking's rule (energy/pipeline/ranking.py)

    @property
    def eligible(self) -> bool:
        return not self.violations


@dataclass(frozen=True)
class Facts:
    inputs: RecommendationInputs
    usage: UsageFacts
    plans: tuple[PlanFacts, ...]  # every plan, in the reference ranking's order
    current_annual_cost: Decimal | None
    constraints_satisfiable: bool
    first_rule: str = ""  # which ranking rule put plans[0] first, in words (energy/pipeline/ranking.py)

    @property
    def candidates(self) -> tuple[PlanFacts, ...]:
        """The plans a model may choose from: the eligible ones, or, when no plan meets every
        hard constraint, the closest ones (the response then says so)."""
        pool = [p for p in self.plans if p.eligible] if self.constraints_satisfiable else list(self.plans)
        return tuple(pool[: max(MAX_CANDIDATES, self.inputs.top_n)])

    @property
    def by_id(self) -> dict[int, PlanFacts]:
        return {p.plan.id: p for p in self.plans}

    @property
    def reference_ranking(self) -> tuple[int, ...]:
        return tuple(p.plan.id for p in self.candidates[: self.inputs.top_n])


def usage_facts(usage: tuple[Decimal, ...]) -> UsageFacts:
    values = [float(u) for u in usage]
    total = sum(values)
    average = total / len(values)
    peak = max(range(12), key=lambda i: values[i])
    lowest = min(range(12), key=lambda i: values[i])
    summer = sum(values[i] for i in SUMMER) / 3
    winter = sum(values[i] for i in WINTER) / 3
    summer_peak = average > 0 and summer > average * SEASONAL_RATIO
    winter_peak = average > 0 and winter > average * SEASONAL_RATIO
    pattern = {(True, True): "dual-peak", (True, False): "summer-peaking", (False, True): "winter-peaking"}.get(
        (summer_peak, winter_peak), "flat"
    )
    first, second = sum(values[:6]), sum(values[6:])
    trend = "stable"
    if first > 0 and second > first * (1 + TREND_THRESHOLD):
        trend = "rising"
    elif first > 0 and second < first * (1 - TREND_THRESHOLD):
        trend = "falling"
    return UsageFacts(
        total_kwh=round(total, 2),
        average_monthly_kwh=round(average, 2),
        peak_month=MONTHS[peak],
        peak_kwh=values[peak],
        lowest_month=MONTHS[lowest],
        lowest_kwh=values[lowest],
        seasonal_pattern=pattern,
        trend=trend,
    )


def _violations(plan: PlanOffer, costs: list[Decimal], inputs: RecommendationInputs) -> tuple[str, ...]:
    prefs = inputs.preferences
    found = []
    if prefs.max_monthly_budget is not None and max(costs) > prefs.max_monthly_budget:
        found.append("budget")
    if prefs.min_renewable_pct is not None and plan.renewable_pct < prefs.min_renewable_pct:
        found.append("renewable")
    if prefs.max_contract_months is not None and plan.contract_months > prefs.max_contract_months:
        found.append("contract")
    return tuple(found)


def compute_facts(inputs: RecommendationInputs) -> Facts:
    usage = inputs.monthly_usage_kwh
    current = annual_cost(inputs.current_terms, usage) if inputs.current_terms else None
    priced = []
    for plan in inputs.plans:
        costs = monthly_bills(plan.terms, usage)
        priced.append((plan, costs, sum(costs, Decimal(0)), _violations(plan, costs, inputs)))
    satisfiable = any(not violations for *_, violations in priced)
    prefer_renewable = inputs.preferences.prefer_renewable
    candidates = {plan.id: ranking.Candidate(plan, annual, eligible=not violations)
                  for plan, _, annual, violations in priced}
    ranked = ranking.rank(list(candidates.values()), prefer_renewable)
    pool = [c for c in ranked if c.eligible] if satisfiable else ranked
    best_value = min((ranking.value(c, prefer_renewable) for c in pool), default=Decimal(0))
    by_id = {
        plan.id: PlanFacts(
            plan=plan,
            monthly_costs=tuple(costs),
            annual_cost=annual,
            average_monthly_cost=(annual / 12).quantize(CENT, rounding=ROUND_HALF_UP),
            highest_monthly_cost=max(costs),
            annual_savings=None if current is None else current - annual,
            violations=violations,
            score=ranking.score(candidates[plan.id], best_value, prefer_renewable),
        )
        for plan, costs, annual, violations in priced
    }
    plans = [by_id[c.plan.id] for c in ranked]
    return Facts(
        inputs=inputs,
        usage=usage_facts(usage),
        plans=tuple(plans),
        current_annual_cost=current,
        constraints_satisfiable=satisfiable,
        first_rule=ranking.why_first(ranked, prefer_renewable) if ranked else "",
    )
