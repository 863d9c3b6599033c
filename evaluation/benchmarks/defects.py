"""The defect set that keeps the automatic checks honest: ways a recommendation can be wrong,
each planted alone into a correct output (the rules engine's) and named with the check in
`quality.CHECKS` that must catch it.

tests/evaluation/benchmarks/test_defect_set.py asserts that every defect is caught and that
correct outputs pass every check; `catch_rates` counts it for the model report
(docs/ai-model-analysis.md, `export_model_report`) and `python -m bench.defect_catch`. The
catalogue lives beside the checks because the report reads it: it is how an operator knows what
the automatic quality figure can be trusted to see. Like the checks it is pure: facts and an
output in, a spoiled copy out.
"""

import asyncio
import copy
from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import Any

from energy.llm import rules
from energy.llm.base import STAGES, ModelRef, Route
from energy.pipeline.facts import Facts, PlanFacts, compute_facts
from energy.pipeline.inputs import RecommendationInputs
from energy.pipeline.numbers import matches_a_fact
from energy.pipeline.orchestrator import recommendation, run_pipeline
from energy.pipeline.stages.base import money
from energy.pipeline.stages.narrative import plan_numbers, reference_why
from energy.pipeline.stages.usage_summary import usage_numbers
from evaluation.benchmarks.quality import CHECKS
from evaluation.seeds.profiles import demo_offers, random_profile, standard_inputs

Data = dict[str, Any]
RULES = ModelRef(key="builtin/rules", provider_kind="rules", prompt_style="rules")


@dataclass(frozen=True)
class Defect:
    name: str  # reads after "the named check catches": "a plan id that is not in the facts"
    check: str  # a key of quality.CHECKS
    # Spoils `data` (a copy, in place) and returns it, or returns None where these facts leave no
    # room for the defect (no savings to get wrong without a current plan, one plan to swap, …).
    plant: Callable[[Facts, Data], Data | None]


def correct_output(inputs: RecommendationInputs) -> Data:
    """The rules engine's answer: every stage served by the deterministic reference."""
    route = Route(chains={stage: (RULES,) for stage in STAGES}, version="defect-set")
    return asyncio.run(run_pipeline(inputs, route=route, caller=rules)).data


def planted(defect: Defect, facts: Facts, data: Data) -> Data | None:
    return defect.plant(facts, copy.deepcopy(data))


# Plan ids and hard constraints --------------------------------------------------------------


def unknown_plan_id(facts: Facts, data: Data) -> Data:
    data["recommendations"][-1]["plan_id"] = max(facts.by_id) + 1000
    return data


def put_last(plan: PlanFacts | None, facts: Facts, data: Data) -> Data | None:
    """The last recommendation replaced with `plan`, its every field and its why true to it."""
    if plan is None:
        return None
    rank = len(data["recommendations"])
    data["recommendations"][-1] = recommendation(plan, rank, score=plan.score, why=reference_why(plan, rank, facts))
    return data


def chosen_ids(data: Data) -> set[int]:
    return {rec["plan_id"] for rec in data["recommendations"]}


def real_plan_outside_the_reference(facts: Facts, data: Data) -> Data | None:
    left_out = [p for p in facts.candidates if p.plan.id not in chosen_ids(data)]
    return put_last(left_out[0] if left_out else None, facts, data)


def ineligible_plan(facts: Facts, data: Data) -> Data | None:
    if not facts.constraints_satisfiable:
        return None
    breaking = [p for p in facts.plans if not p.eligible]
    return put_last(breaking[0] if breaking else None, facts, data)


def no_notice(facts: Facts, data: Data) -> Data | None:
    if facts.constraints_satisfiable:
        return None
    del data["notice"]
    return data


# Ranking ------------------------------------------------------------------------------------


def reordered(data: Data, order: Callable[[list[Data]], list[Data]]) -> Data | None:
    recommendations = data["recommendations"]
    if len(recommendations) < 2:
        return None
    data["recommendations"] = [{**rec, "rank": rank} for rank, rec in enumerate(order(recommendations), start=1)]
    return data


def reversed_ranking(facts: Facts, data: Data) -> Data | None:
    return reordered(data, lambda recs: recs[::-1])


def last_two_swapped(facts: Facts, data: Data) -> Data | None:
    return reordered(data, lambda recs: [*recs[:-2], recs[-1], recs[-2]])


# Structured numbers -------------------------------------------------------------------------


def first(data: Data) -> Data:
    return data["recommendations"][0]


def annual_cost_changed(change: Callable[[float], float]) -> Callable[[Facts, Data], Data]:
    def plant(facts: Facts, data: Data) -> Data:
        first(data)["projected_annual_cost"] = round(change(first(data)["projected_annual_cost"]), 2)
        return data
    return plant


def one_month_a_cent_off(facts: Facts, data: Data) -> Data:
    monthly = first(data)["projected_monthly_costs"]
    monthly[6] = round(monthly[6] + 0.01, 2)
    return data


def savings_without_a_current_plan(facts: Facts, data: Data) -> Data | None:
    if facts.current_annual_cost is not None:
        return None
    first(data)["annual_savings"] = 120.0
    return data


def savings_a_dollar_off(facts: Facts, data: Data) -> Data | None:
    if facts.current_annual_cost is None:
        return None
    first(data)["annual_savings"] = round(first(data)["annual_savings"] + 1, 2)
    return data


def renewable_pct_field_wrong(facts: Facts, data: Data) -> Data:
    rec = first(data)
    rec["renewable_pct"] += 1 if rec["renewable_pct"] < 100 else -1
    return data


def contract_months_field_wrong(facts: Facts, data: Data) -> Data:
    first(data)["contract_months"] += 1
    return data


def usage_changed(field: str, value: Callable[[Facts], float | None]) -> Callable[[Facts, Data], Data | None]:
    def plant(facts: Facts, data: Data) -> Data | None:
        wrong = value(facts)
        if wrong is None:
            return None
        data["usage_summary"][field] = wrong
        return data
    return plant


def another_months_kwh(facts: Facts, pick: Callable[[list[float]], float]) -> float | None:
    """The kWh of a month other than the one the statistic names, nearest to it."""
    usage = facts.usage
    named = {"peak": usage.peak_kwh, "lowest": usage.lowest_kwh}
    others = [float(u) for u in facts.inputs.monthly_usage_kwh if float(u) not in named.values()]
    return pick(others) if others else None


# The whys -----------------------------------------------------------------------------------


def why_replaced(facts: Facts, data: Data, old: str, new: str) -> Data | None:
    rec = first(data)
    if old not in rec["why"]:
        return None
    rec["why"] = rec["why"].replace(old, new, 1)
    return data


def plan_of_first(facts: Facts, data: Data) -> PlanFacts:
    return facts.by_id[first(data)["plan_id"]]


def whys_swapped(facts: Facts, data: Data) -> Data | None:
    recommendations = data["recommendations"]
    if len(recommendations) < 2 or recommendations[0]["why"] == recommendations[1]["why"]:
        return None
    recommendations[0]["why"], recommendations[1]["why"] = recommendations[1]["why"], recommendations[0]["why"]
    return data


def whys_swapped_without_their_ranks(facts: Facts, data: Data) -> Data | None:
    """As a model writes them: the plan's facts only, no "Ranked #2" that would give the swap away."""
    for rec in data["recommendations"]:
        rec["why"] = rec["why"].split(": ", 1)[-1]
    return whys_swapped(facts, data)


def invented_savings_in_the_why(facts: Facts, data: Data) -> Data:
    """A figure no fact of the plan or the usage is, however rounded: a tenth of the year's cost,
    grown by 7 % until it matches none."""
    allowed = plan_numbers(plan_of_first(facts, data), 1) + usage_numbers(facts)
    invented = float(plan_of_first(facts, data).annual_cost) / 10 + 1
    while matches_a_fact(round(invented, 2), allowed):
        invented *= 1.07
    first(data)["why"] += f" It saves {money(invented)} a year."
    return data


def false_renewable_claim(facts: Facts, data: Data) -> Data | None:
    share = plan_of_first(facts, data).plan.renewable_pct
    return why_replaced(facts, data, f"{share}% renewable", f"{0 if share == 100 else 100}% renewable")


def false_contract_claim(facts: Facts, data: Data) -> Data | None:
    months = plan_of_first(facts, data).plan.contract_months
    if months:
        return why_replaced(facts, data, f"{months}-month contract", "no contract")
    return why_replaced(facts, data, "no contract", "12-month contract")


def monthly_called_yearly(rounded: bool) -> Callable[[Facts, Data], Data | None]:
    def plant(facts: Facts, data: Data) -> Data | None:
        monthly = plan_of_first(facts, data).average_monthly_cost
        said = f"${monthly:,.0f}" if rounded else money(monthly)
        return why_replaced(facts, data, f"about {money(monthly)} a month", f"about {said} a year")
    return plant


def yearly_called_monthly(facts: Facts, data: Data) -> Data | None:
    yearly = money(plan_of_first(facts, data).annual_cost)
    return why_replaced(facts, data, f"{yearly} a year", f"{yearly} a month")


DEFECTS: tuple[Defect, ...] = (
    Defect("a plan id that is not in the facts", "plan_ids_exist", unknown_plan_id),
    Defect("a real plan from outside the reference top N", "ranking_agreement", real_plan_outside_the_reference),
    Defect("a plan that breaks a hard constraint while one meets them all", "constraints_respected", ineligible_plan),
    Defect("no notice when no plan meets every hard constraint", "constraints_respected", no_notice),
    Defect("the reference ranking reversed", "ranking_agreement", reversed_ranking),
    Defect("the last two plans swapped", "ranking_agreement", last_two_swapped),
    Defect("the annual cost a cent off", "numbers_match_facts", annual_cost_changed(lambda cost: cost + 0.01)),
    Defect("the annual cost a dollar off", "numbers_match_facts", annual_cost_changed(lambda cost: cost - 1)),
    Defect("the annual cost one percent off", "numbers_match_facts", annual_cost_changed(lambda cost: cost * 1.01)),
    Defect("one month's cost a cent off", "numbers_match_facts", one_month_a_cent_off),
    Defect("savings stated without a current plan", "numbers_match_facts", savings_without_a_current_plan),
    Defect("the savings a dollar off", "numbers_match_facts", savings_a_dollar_off),
    Defect("a wrong renewable_pct", "numbers_match_facts", renewable_pct_field_wrong),
    Defect("a wrong contract_months", "numbers_match_facts", contract_months_field_wrong),
    Defect("the usage total a kWh off", "numbers_match_facts",
           usage_changed("total_kwh", lambda facts: facts.usage.total_kwh + 1)),
    Defect("the monthly average a kWh off", "numbers_match_facts",
           usage_changed("average_monthly_kwh", lambda facts: facts.usage.average_monthly_kwh + 1)),
    Defect("the peak as another month's kWh", "numbers_match_facts",
           usage_changed("peak_kwh", lambda facts: another_months_kwh(facts, max))),
    Defect("the lowest as another month's kWh", "numbers_match_facts",
           usage_changed("lowest_kwh", lambda facts: another_months_kwh(facts, min))),
    Defect("the whys of the first two plans swapped", "why_grounded", whys_swapped),
    Defect("the whys of the first two plans swapped, without their ranks", "why_grounded",
           whys_swapped_without_their_ranks),
    Defect("savings invented in a why", "why_grounded", invented_savings_in_the_why),
    Defect("a false renewable claim in a why", "why_grounded", false_renewable_claim),
    Defect("a false contract claim in a why", "why_grounded", false_contract_claim),
    Defect("the monthly cost called yearly in a why", "why_grounded", monthly_called_yearly(rounded=False)),
    Defect("the monthly cost rounded and called yearly in a why", "why_grounded", monthly_called_yearly(rounded=True)),
    Defect("the annual cost called monthly in a why", "why_grounded", yearly_called_monthly),
)


# The catch rate ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Caught:
    """Of `planted` outputs with the defect, `caught` failed the named check."""

    caught: int
    planted: int


@dataclass(frozen=True)
class CatchRates:
    standard: int  # scenarios of the standard suite
    random: int  # random customers
    seed: int
    by_defect: list[tuple[Defect, Caught, Caught]]  # (defect, on the standard suite, on random customers)
    false_positives: tuple[Caught, Caught]  # correct outputs that failed any check, likewise


def catch_rates(*, profiles: int = 200, seed: int = 15) -> CatchRates:
    """Every defect planted alone into the correct answer for every standard-suite scenario and
    `profiles` random customers (evaluation.seeds.profiles, over the demo plans) where it fits."""
    plans = demo_offers()
    cases = {"standard": list(standard_inputs().values()),
             "random": [random_profile(Random(seed + n), plans) for n in range(profiles)]}
    answered = {kind: [(compute_facts(inputs), correct_output(inputs)) for inputs in inputs_list]
                for kind, inputs_list in cases.items()}

    def caught(defect: Defect, kind: str) -> Caught:
        spoiled = [(facts, planted(defect, facts, data)) for facts, data in answered[kind]]
        spoiled = [(facts, data) for facts, data in spoiled if data is not None]
        return Caught(sum(not CHECKS[defect.check](facts, data).passed for facts, data in spoiled), len(spoiled))

    def wrongly_failed(kind: str) -> Caught:
        failing = sum(not all(check(facts, data).passed for check in CHECKS.values()) for facts, data in answered[kind])
        return Caught(failing, len(answered[kind]))

    return CatchRates(standard=len(cases["standard"]), random=profiles, seed=seed,
                      by_defect=[(d, caught(d, "standard"), caught(d, "random")) for d in DEFECTS],
                      false_positives=(wrongly_failed("standard"), wrongly_failed("random")))
