"""Stage 3: a short "why" for each ranked plan, stating only numbers from that plan's facts.

Each why is judged on its own: an invalid one is replaced with the rules engine's why for that
plan and the valid ones are kept. Only an answer with no valid why at all is refused."""

import json
from typing import Any

from energy.llm.base import GenerationSettings, ModelRef
from energy.pipeline.claims import period_claim_errors, plan_claim_errors
from energy.pipeline.facts import Facts, PlanFacts
from energy.pipeline.numbers import unsupported_numbers
from energy.pipeline.stages.base import OutputInvalid, RejectedPart, Stage, first_line, money
from energy.pipeline.stages.usage_summary import usage_numbers

MAX_WHY_CHARS = 400
# Who a why taken from the reference answer is credited to: the rules engine, whose answer it is
# (the catalog's key; energy does not import the catalog).
RULES_KEY = "builtin/rules"
# One sentence shape for every example: a small base model copies the shape, so the shape
# must be right for any plan (it copied "100% renewable with no contract" from a mixed set).
FEW_SHOT = """Facts: $1,402.10 a year, about $116.84 a month, 0% renewable, 12-month contract, saves $210.40 a year.
Why: At $1,402.10 a year it saves $210.40 a year; it is 0% renewable with a 12-month contract.

Facts: $1,655.80 a year, about $137.98 a month, 100% renewable, no contract.
Why: At $1,655.80 a year it is 100% renewable with no contract.

Facts: $980.40 a year, about $81.70 a month, 35% renewable, 24-month contract, saves $75.00 a year.
Why: At $980.40 a year it saves $75.00 a year; it is 35% renewable with a 24-month contract.

Facts: $2,210.00 a year, about $184.17 a month, 0% renewable, no contract.
Why: At $2,210.00 a year it is 0% renewable with no contract.

Facts: $1,733.25 a year, about $144.44 a month, 100% renewable, 12-month contract, saves $48.10 a year.
Why: At $1,733.25 a year it saves $48.10 a year; it is 100% renewable with a 12-month contract.

"""
# The same facts, in about a fifth fewer tokens per why (a catalog model's `why_shape: short`):
# generation time grows with every token, and a why is mostly its numbers.
SHORT_FEW_SHOT = """Facts: $1,402.10 a year, about $116.84 a month, 0% renewable, 12-month contract, saves $210.40 a year.
Why: Saves $210.40 a year at $1,402.10 a year; 0% renewable, 12-month contract.

Facts: $1,655.80 a year, about $137.98 a month, 100% renewable, no contract.
Why: $1,655.80 a year; 100% renewable, no contract.

Facts: $980.40 a year, about $81.70 a month, 35% renewable, 24-month contract, saves $75.00 a year.
Why: Saves $75.00 a year at $980.40 a year; 35% renewable, 24-month contract.

Facts: $2,210.00 a year, about $184.17 a month, 0% renewable, no contract.
Why: $2,210.00 a year; 0% renewable, no contract.

Facts: $1,733.25 a year, about $144.44 a month, 100% renewable, 12-month contract, saves $48.10 a year.
Why: Saves $48.10 a year at $1,733.25 a year; 100% renewable, 12-month contract.

"""


def plan_facts_line(plan: PlanFacts) -> str:
    contract = f"{plan.plan.contract_months}-month contract" if plan.plan.contract_months else "no contract"
    parts = [f"{money(plan.annual_cost)} a year", f"about {money(plan.average_monthly_cost)} a month",
             f"{plan.plan.renewable_pct}% renewable", contract]
    if plan.annual_savings is not None and plan.annual_savings > 0:
        parts.append(f"saves {money(plan.annual_savings)} a year")
    return ", ".join(parts)


def plan_numbers(plan: PlanFacts, rank: int) -> list[float]:
    terms = plan.plan.terms
    numbers = [plan.annual_cost, plan.average_monthly_cost, plan.highest_monthly_cost, min(plan.monthly_costs),
               plan.plan.renewable_pct, plan.plan.contract_months, plan.plan.early_termination_fee,
               terms.base_fee, terms.bill_credit, terms.credit_min_kwh, rank]
    numbers += [terms.energy_rate_cents] if terms.energy_rate_cents is not None else [t.cents for t in terms.tiers or ()]
    if plan.annual_savings is not None:
        numbers.append(abs(plan.annual_savings))
    if terms.credit_max_kwh is not None:
        numbers.append(terms.credit_max_kwh)
    return [float(n) for n in numbers]


def ranked_plans(facts: Facts, upstream: dict[str, Any]) -> list[PlanFacts]:
    return [facts.by_id[pid] for pid in upstream["plan_scoring"]["ranking"]]


class Narrative(Stage):
    name = "narrative"
    task = "explain in one sentence each, with only numbers from its facts, why each ranked plan suits the customer"
    default_settings = GenerationSettings(max_tokens=300, temperature=0.2)

    def reference_answer(self, facts: Facts, upstream: dict[str, Any]) -> str:
        explanations = [{"plan_id": plan.plan.id, "why": reference_why(plan, rank, facts)}
                        for rank, plan in enumerate(ranked_plans(facts, upstream), start=1)]
        return json.dumps({"explanations": explanations})

    def chat_prompt(self, facts: Facts, upstream: dict[str, Any]) -> tuple[str, str]:
        plans = [{"plan_id": p.plan.id, "facts": plan_facts_line(p)} for p in ranked_plans(facts, upstream)]
        system = "You are an energy advisor. Answer with one JSON object and nothing else."
        user = (
            f"Explain in one sentence each why these plans suit the customer. Use only numbers from the facts.\n"
            f"{json.dumps(plans)}\n"
            'Return {"explanations": [{"plan_id": <id>, "why": "<sentence>"}, ...]} for every plan above.'
        )
        return system, user

    def completion_prompts(self, facts: Facts, upstream: dict[str, Any], model: ModelRef) -> list[str]:
        few_shot = SHORT_FEW_SHOT if model.parameters.get("why_shape") == "short" else FEW_SHOT
        return [f"{few_shot}Facts: {plan_facts_line(p)}.\nWhy:" for p in ranked_plans(facts, upstream)]

    def parse_json(self, answer: dict[str, Any], facts: Facts, upstream: dict[str, Any]) -> dict[str, Any]:
        explanations = answer.get("explanations")
        if not isinstance(explanations, list) or not all(isinstance(e, dict) for e in explanations):
            raise OutputInvalid("bad_format", "explanations must be a list of objects")
        for e in explanations:
            # Checked before the ids become dict keys: a list or an object as plan_id is unhashable.
            if not isinstance(e.get("plan_id"), int) or isinstance(e.get("plan_id"), bool):
                raise OutputInvalid("bad_format", f"plan_id {e.get('plan_id')!r} is not an integer")
        by_id = {e.get("plan_id"): e.get("why") for e in explanations}
        for plan_id in by_id:
            if plan_id not in facts.by_id:
                raise OutputInvalid("unknown_plan", f"plan {plan_id!r} does not exist")
        return self._output([by_id.get(p.plan.id) for p in ranked_plans(facts, upstream)], facts, upstream)

    def parse_completion(self, texts: list[str], facts: Facts, upstream: dict[str, Any]) -> dict[str, Any]:
        return self._output([first_line(t) for t in texts], facts, upstream, one_completion_each=True)

    def draft(self, output: dict[str, Any], part: int | None = None) -> str:
        whys = list(output["why"].items())
        if part is not None:
            return whys[part][1]
        return " ".join(f"#{plan_id}: {why}" for plan_id, why in whys)

    def _output(self, whys: list[Any], facts: Facts, upstream: dict[str, Any], *,
                one_completion_each: bool = False) -> dict[str, Any]:
        """The whys in rank order, each invalid one replaced with the reference why and listed in
        `rejected_parts`; when none is valid, the first one's error refuses the answer."""
        result: dict[int, str] = {}
        rejected: list[RejectedPart] = []
        for rank, (plan, why) in enumerate(zip(ranked_plans(facts, upstream), whys, strict=True), start=1):
            try:
                check_why(why, plan, rank, facts)
            except OutputInvalid as exc:
                rejected.append(RejectedPart(plan_id=plan.plan.id, error=exc, answer=as_text(why),
                                             completion=rank - 1 if one_completion_each else None))
                result[plan.plan.id] = reference_why(plan, rank, facts)
            else:
                result[plan.plan.id] = why.strip()
        if rejected and len(rejected) == len(result):
            raise rejected[0].error
        return {"why": result, "rejected_parts": rejected}


def reference_why(plan: PlanFacts, rank: int, facts: Facts) -> str:
    """The rules engine's why: the plan's own facts, word for word; for the reference ranking's
    first plan in first place, also the rule that put it there."""
    reason = f", {facts.first_rule}" if rank == 1 and plan is facts.plans[0] and facts.first_rule else ""
    return f"Ranked #{rank}{reason}: {plan_facts_line(plan)}."


def as_text(why: Any) -> str:
    """What the model wrote for a why, to show beside its rejection."""
    if why is None or isinstance(why, str):
        return why or ""
    return json.dumps(why)


def check_why(why: Any, plan: PlanFacts, rank: int, facts: Facts) -> None:
    plan_id = plan.plan.id
    if not isinstance(why, str) or not why.strip():
        raise OutputInvalid("bad_format", f"no explanation for plan {plan_id}")
    if len(why) > MAX_WHY_CHARS:
        raise OutputInvalid("bad_format", f"explanation for plan {plan_id} is over {MAX_WHY_CHARS} characters")
    # Claims first: "100% renewable" on a 0 % plan is a wrong fact, though 100 is also no fact's number.
    contradictions = plan_claim_errors(
        why.replace(plan.plan.name, " "), renewable_pct=plan.plan.renewable_pct, contract_months=plan.plan.contract_months,
    )
    if contradictions:
        raise OutputInvalid("wrong_fact", f"explanation for plan {plan_id} {contradictions[0]}")
    wrong = unsupported_numbers(why, plan_numbers(plan, rank) + usage_numbers(facts), ignore=(plan.plan.name, plan.plan.provider))
    if wrong:
        raise OutputInvalid("wrong_number", f"explanation for plan {plan_id} states {wrong}, not in its facts")
    yearly = [plan.annual_cost] + ([abs(plan.annual_savings)] if plan.annual_savings is not None else [])
    monthly = [plan.average_monthly_cost, plan.highest_monthly_cost, min(plan.monthly_costs)]
    contradictions = period_claim_errors(why, monthly=[float(m) for m in monthly], yearly=[float(y) for y in yearly])
    if contradictions:
        raise OutputInvalid("wrong_fact", f"explanation for plan {plan_id} {contradictions[0]}")
