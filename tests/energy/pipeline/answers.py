"""Valid answers a well-behaved model might give, worded differently from the rules engine's
reference answers and built from the facts so that every number in them is true."""

import json

from energy.pipeline.facts import Facts
from energy.pipeline.stages.base import money


def chat_summary(facts: Facts) -> str:
    usage = facts.usage
    summary = f"You use about {usage.average_monthly_kwh:,.0f} kWh a month, most of it in {usage.peak_month}."
    return json.dumps({"summary": summary, "seasonal_pattern": usage.seasonal_pattern, "trend": usage.trend})


def chat_ranking(facts: Facts, ranking: tuple[int, ...] | None = None) -> str:
    ids = facts.reference_ranking if ranking is None else ranking
    return json.dumps({"ranking": [{"plan_id": pid, "score": 90 - 5 * i} for i, pid in enumerate(ids)]})


def chat_narrative(facts: Facts, ranking: tuple[int, ...] | None = None) -> str:
    ids = facts.reference_ranking if ranking is None else ranking
    return json.dumps({"explanations": [{"plan_id": pid, "why": explanation(facts, pid)} for pid in ids]})


def completion_summary(facts: Facts) -> str:
    usage = facts.usage
    return f" Usage averages {usage.average_monthly_kwh:,.0f} kWh a month and peaks in {usage.peak_month}."


def completion_ranking(ranking: tuple[int, ...]) -> str:
    return " " + ", ".join(f"#{pid}" for pid in ranking)


def completion_whys(facts: Facts, ranking: tuple[int, ...] | None = None) -> list[str]:
    ids = facts.reference_ranking if ranking is None else ranking
    return [" " + explanation(facts, pid) for pid in ids]


def explanation(facts: Facts, plan_id: int) -> str:
    plan = facts.by_id[plan_id]
    return f"At {money(plan.annual_cost)} a year it is {plan.plan.renewable_pct}% renewable."
