"""Stage 2: rank the eligible plans. The model sees only plans that meet every hard
constraint, with their exact costs; an answer naming an unknown plan, or a plan that breaks
a constraint, is rejected."""

import json
import re
from typing import Any

from energy.llm.base import GenerationSettings, ModelRef
from energy.pipeline.facts import Facts, PlanFacts
from energy.pipeline.stages.base import OutputInvalid, Stage, money, one_line

FEW_SHOT = """Customer wants: the lowest cost.
#12: $1,402.10 a year, 0% renewable, 12-month contract
#31: $1,455.80 a year, 50% renewable, no contract
#7: $1,610.00 a year, 100% renewable, 24-month contract
#40: $1,702.30 a year, 10% renewable, 12-month contract
Best 3: #12, #31, #7

Customer wants: renewable energy.
#5: $980.40 a year, 100% renewable, 12-month contract
#22: $1,010.75 a year, 100% renewable, no contract
#9: $940.15 a year, 0% renewable, 12-month contract
Best 2: #5, #22

"""
PLAN_ID = re.compile(r"#?(\d+)")


def plan_line(plan: PlanFacts) -> str:
    contract = f"{plan.plan.contract_months}-month contract" if plan.plan.contract_months else "no contract"
    return f"#{plan.plan.id}: {money(plan.annual_cost)} a year, {plan.plan.renewable_pct}% renewable, {contract}"


def wants(facts: Facts) -> str:
    return "renewable energy" if facts.inputs.preferences.prefer_renewable else "the lowest cost"


def wanted_count(facts: Facts) -> int:
    return min(facts.inputs.top_n, len(facts.candidates))


class PlanScoring(Stage):
    name = "plan_scoring"
    task = "choose the plans that best suit the customer, best first, from the eligible plans with their exact costs"
    default_settings = GenerationSettings(max_tokens=200, temperature=0.0)

    def reference_answer(self, facts: Facts, upstream: dict[str, Any]) -> str:
        top = facts.candidates[: wanted_count(facts)]
        return json.dumps({"ranking": [{"plan_id": p.plan.id, "score": p.score} for p in top]})

    def chat_prompt(self, facts: Facts, upstream: dict[str, Any]) -> tuple[str, str]:
        plans = [
            {"plan_id": p.plan.id, "annual_cost": float(p.annual_cost), "highest_monthly_cost": float(p.highest_monthly_cost),
             "renewable_pct": p.plan.renewable_pct, "contract_months": p.plan.contract_months,
             "early_termination_fee": float(p.plan.early_termination_fee)}
            for p in facts.candidates
        ]
        system = "You are an energy advisor. Answer with one JSON object and nothing else."
        user = (
            f"The customer wants {wants(facts)}. Every plan below meets their hard constraints; costs are exact.\n"
            f"{json.dumps(plans)}\n"
            f'Return {{"ranking": [{{"plan_id": <id>, "score": <0-100>}}, ...]}} with the best {wanted_count(facts)} '
            "plans, best first, using only the plan ids above."
        )
        return system, user

    def completion_prompts(self, facts: Facts, upstream: dict[str, Any], model: ModelRef) -> list[str]:
        lines = "\n".join(plan_line(p) for p in facts.candidates)
        return [f"{FEW_SHOT}Customer wants: {wants(facts)}.\n{lines}\nBest {wanted_count(facts)}:"]

    def parse_json(self, answer: dict[str, Any], facts: Facts, upstream: dict[str, Any]) -> dict[str, Any]:
        ranking = answer.get("ranking")
        if not isinstance(ranking, list) or not all(isinstance(r, dict) for r in ranking):
            raise OutputInvalid("bad_format", "ranking must be a list of objects")
        scores = {}
        for entry in ranking:
            plan_id, score = entry.get("plan_id"), entry.get("score")
            if not isinstance(score, int | float) or isinstance(score, bool) or not 0 <= score <= 100:
                raise OutputInvalid("bad_format", f"score for plan {plan_id} must be a number from 0 to 100")
            scores[self._check_plan_id(plan_id, facts)] = float(score)
        return self._output(list(scores), scores, facts)

    def parse_completion(self, texts: list[str], facts: Facts, upstream: dict[str, Any]) -> dict[str, Any]:
        ids = [self._check_plan_id(int(m), facts) for m in PLAN_ID.findall(one_line(texts[0]))]
        return self._output(ids, {}, facts)

    def draft(self, output: dict[str, Any], part: int | None = None) -> str:
        return ", ".join(f"#{plan_id}" for plan_id in output["ranking"])

    def _check_plan_id(self, plan_id: Any, facts: Facts) -> int:
        if not isinstance(plan_id, int) or isinstance(plan_id, bool):
            raise OutputInvalid("bad_format", f"plan_id {plan_id!r} is not an integer")
        plan = facts.by_id.get(plan_id)
        if plan is None:
            raise OutputInvalid("unknown_plan", f"plan {plan_id} does not exist")
        if facts.constraints_satisfiable and not plan.eligible:
            raise OutputInvalid("constraint_violation", f"plan {plan_id} breaks the {', '.join(plan.violations)} constraint")
        return plan_id

    def _output(self, ids: list[int], model_scores: dict[int, float], facts: Facts) -> dict[str, Any]:
        unique = list(dict.fromkeys(ids))
        if len(unique) != len(ids):
            raise OutputInvalid("bad_format", "a plan is ranked twice")
        count = wanted_count(facts)
        if len(unique) < count:
            raise OutputInvalid("bad_format", f"ranked {len(unique)} plans, {count} were asked for")
        ranking = unique[:count]
        # A completion-style answer carries no scores: the reference score stands beside the model's order.
        scores = {pid: model_scores.get(pid, facts.by_id[pid].score) for pid in ranking}
        return {"ranking": ranking, "scores": scores}
