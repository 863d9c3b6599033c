"""Customers as pipeline inputs over the demo plans, built in memory: the standard suite's
scenarios as a freshly seeded database gives them to a benchmark unit (plans numbered 1, 2, … in
seed order), and random customers. No database, so a test or a script computes their facts in
microseconds."""

from random import Random

from energy.models import Plan
from energy.offers import build_inputs, offer
from energy.pipeline.inputs import PlanOffer, RecommendationInputs
from energy.schemas import RecommendationIn
from evaluation.seeds.benchmarks import SCENARIOS
from evaluation.seeds.plans import PLANS


def demo_offers() -> tuple[PlanOffer, ...]:
    offers = []
    for plan_id, fields in enumerate(PLANS, start=1):
        plan = Plan(id=plan_id, **fields)
        plan.clean_fields()  # the seeds' strings become the Decimals a saved plan holds
        offers.append(offer(plan))
    return tuple(offers)


def standard_inputs() -> dict[str, RecommendationInputs]:
    """The standard suite's scenarios by name, in the suite's order."""
    plans = demo_offers()
    return {scenario["name"]: build_inputs(RecommendationIn.model_validate(scenario["payload"]), plans)
            for scenario in SCENARIOS}


def random_profile(rng: Random, plans: tuple[PlanOffer, ...]) -> RecommendationInputs:
    """A customer the API would accept: a year of usage from empty to a small business's, with a
    summer or winter swing; any mix of preferences and hard constraints; a current plan or none."""
    base, swing, peak_month = rng.randint(0, 4000), rng.uniform(0, 0.8), rng.choice((0, 6, 7))
    usage = [max(0, round(base * (1 + swing * (1 - min(abs(month - peak_month), 12 - abs(month - peak_month)) / 3))
                          + rng.randint(-50, 50)))
             for month in range(12)]
    preferences = {
        "max_monthly_budget": rng.choice((None, rng.randint(30, 600))),
        "prefer_renewable": rng.random() < 0.5,
        "min_renewable_pct": rng.choice((None, rng.choice((0, 10, 50, 80, 100)))),
        "max_contract_months": rng.choice((None, rng.choice((0, 3, 6, 12, 24)))),
    }
    current = rng.choice((None, {"rate_cents": rng.randint(80, 250) / 10, "base_fee": rng.randint(0, 1500) / 100}))
    payload = {"monthly_usage_kwh": usage, "preferences": preferences, "current_plan": current,
               "top_n": rng.randint(1, 5)}
    return build_inputs(RecommendationIn.model_validate(payload), plans)
