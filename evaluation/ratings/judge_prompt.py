"""The judge's rubric prompt, in the two prompt styles the catalog has, and the parser of its
answer. The judge sees exactly what a rater sees (blind.request_fields and blind.output_fields:
the request and the recommendation, field by field from the raters' allow-lists), never the
model that wrote the output nor anything that hints at it.

- chat: a system message with the rubric, the output as JSON, and a JSON answer
  `{"why_sensible": 1-5, "values_reasonable": 1-5, "overall": 1-5, "flags": [...]}`.
- completion (a base model such as local/gemma-3-270m, which echoes chat prompts): a few-shot
  prompt whose every example ends in one line `Scores: why 4, values 5, overall 4; flags: none`,
  and the model completes that line for the output at the end (stop at the newline).

An answer that does not give every score as a whole number 1–5, or names a flag the rubric does
not have, is refused with the reason (JudgeAnswerInvalid): a failed score, never a made-up one."""

import json
import re
from dataclasses import dataclass

from energy.llm.base import CompletionRequest, GenerationSettings, ModelRef
from energy.pipeline.stages.base import OutputInvalid, first_line, parse_json_object
from evaluation.ratings.blind import output_fields, request_fields

STAGE = "judge"  # the LLMCall rows' stage: a judge's calls are told apart from the pipeline's
FLAGS = ("hallucinated_number", "wrong_plan", "ignored_preference")
SCORES = ("why_sensible", "values_reasonable", "overall")
CHAT_SETTINGS = GenerationSettings(max_tokens=120, temperature=0.0)
COMPLETION_SETTINGS = GenerationSettings(max_tokens=40, temperature=0.0, stop=("\n",))

RUBRIC = """You grade an energy-plan recommendation for a customer, as product staff do.
Score each from 1 (bad) to 5 (excellent):
- why_sensible: the explanation ("why") of each plan makes sense for this customer;
- values_reasonable: the costs, savings and other numbers are plausible for the usage given;
- overall: how good the recommendation is as a whole.
Flags, only when they apply: hallucinated_number (a number the plan or usage does not support),
wrong_plan (a plan that should not be recommended), ignored_preference (a preference the customer set is ignored)."""

CHAT_ANSWER = ('Answer with one JSON object and nothing else: {"why_sensible": 1-5, "values_reasonable": 1-5, '
               '"overall": 1-5, "flags": [zero or more of "hallucinated_number", "wrong_plan", "ignored_preference"]}')

# Two outputs a rater would score far apart, so the shape of the line is all the model copies.
FEW_SHOT = """Usage: 1,100 kWh a month on average. Preferences: budget $150 a month, at least 50% renewable.
#1 Green Saver 12: $1,520.40 a year, 100% renewable, 12-month contract. Why: At $1,520.40 a year it is 100% renewable, in budget.
#2 Solar Flex: $1,611.00 a year, 60% renewable, no contract. Why: At $1,611.00 a year it is 60% renewable with no contract.
Scores: why 5, values 5, overall 5; flags: none

Usage: 900 kWh a month on average. Preferences: at least 80% renewable.
#1 Coal Basic: $310.00 a year, 0% renewable, 36-month contract. Why: It saves $9,000 a year and is the greenest plan.
Scores: why 1, values 1, overall 1; flags: hallucinated number, ignored preference

"""
SCORE_LINE = re.compile(
    r"^(?:scores?:)?\s*why\s*(?P<why_sensible>\d+)\s*,\s*values\s*(?P<values_reasonable>\d+)\s*,\s*"
    r"overall\s*(?P<overall>\d+)\s*(?:;\s*flags?:\s*(?P<flags>.*))?$", re.IGNORECASE)


class JudgeAnswerInvalid(Exception):
    """The judge answered something that is not a score on the rubric; the message says why."""


@dataclass(frozen=True)
class Verdict:
    why_sensible: int
    values_reasonable: int
    overall: int
    flags: tuple[str, ...]


def judge_request(judge: ModelRef, inputs: object, payload: object) -> CompletionRequest:
    """The request to send the judge for one output (`RatingItem.inputs` and `.payload`)."""
    if judge.prompt_style == "completion":
        prompt = f"{RUBRIC}\n\n{FEW_SHOT}{described(inputs, payload)}\nScores:"
        return CompletionRequest(stage=STAGE, settings=judge.settings_for(STAGE, COMPLETION_SETTINGS), prompt=prompt)
    shown = json.dumps({"request": request_fields(inputs), "recommendation": output_fields(payload)}, default=str)
    messages = ({"role": "system", "content": f"{RUBRIC}\n{CHAT_ANSWER}"}, {"role": "user", "content": shown})
    return CompletionRequest(stage=STAGE, settings=judge.settings_for(STAGE, CHAT_SETTINGS), messages=messages,
                             json_output=True)


def described(inputs: object, payload: object) -> str:
    """The output in the few-shot examples' shape: usage and preferences, then one line per plan."""
    request, output = request_fields(inputs), output_fields(payload)
    usage = [kwh for kwh in request["monthly_usage_kwh"] if isinstance(kwh, int | float)]
    average = f"{sum(usage) / len(usage):,.0f} kWh a month on average" if usage else "unknown"
    preferences = ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in request["preferences"].items())
    lines = [f"Usage: {average}. Preferences: {preferences or 'none'}."]
    for plan in output["recommendations"]:
        lines.append(f"#{plan.get('rank', '?')} {plan.get('plan_name', '')}: ${plan.get('projected_annual_cost', '?')} a year, "
                     f"{plan.get('renewable_pct', '?')}% renewable, {plan.get('contract_months', '?')}-month contract. "
                     f"Why: {plan.get('why', '')}")
    return "\n".join(lines)


def parse_answer(judge: ModelRef, text: str) -> Verdict:
    if judge.prompt_style == "completion":
        return parse_score_line(text)
    try:
        answer = parse_json_object(text)
    except OutputInvalid as exc:
        raise JudgeAnswerInvalid(str(exc)) from exc
    flags = answer.get("flags", [])
    if not isinstance(flags, list) or not all(isinstance(flag, str) for flag in flags):
        raise JudgeAnswerInvalid("flags: expected a list of flag names")
    return verdict({name: answer.get(name) for name in SCORES}, flags)


def parse_score_line(text: str) -> Verdict:
    line = first_line(text)
    match = SCORE_LINE.match(f"Scores:{line}" if not line.lower().startswith("score") else line)
    if match is None:
        raise JudgeAnswerInvalid(f"not a score line (`why N, values N, overall N; flags: …`): {line[:200]!r}")
    named = (match["flags"] or "none").strip().rstrip(".")
    flags = [] if named.lower() in ("none", "") else [name.strip().lower().replace(" ", "_") for name in named.split(",")]
    return verdict({name: int(match[name]) for name in SCORES}, flags)


def verdict(scores: dict[str, object], flags: list[str]) -> Verdict:
    for name, value in scores.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise JudgeAnswerInvalid(f"{name}: expected a whole number 1–5, got {value!r}")
    unknown = [flag for flag in flags if flag not in FLAGS]
    if unknown:
        raise JudgeAnswerInvalid(f"flags: not on the rubric: {', '.join(unknown)}")
    return Verdict(flags=tuple(dict.fromkeys(flags)), **scores)
