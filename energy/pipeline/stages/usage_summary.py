"""Stage 1: describe the household's usage. The statistics are facts; the model writes the
one-sentence summary, and in JSON mode also names the pattern and trend, which must agree
with the facts."""

import json
from typing import Any

from energy.llm.base import GenerationSettings, ModelRef
from energy.pipeline.claims import label_claim_errors
from energy.pipeline.facts import Facts, UsageFacts
from energy.pipeline.numbers import unsupported_numbers
from energy.pipeline.stages.base import OutputInvalid, Stage, one_line

PATTERNS = ("summer-peaking", "winter-peaking", "dual-peak", "flat")
TRENDS = ("rising", "falling", "stable")

FEW_SHOT = """Usage: average 1,180 kWh a month, peak 1,900 kWh in August, lowest 760 kWh in March, summer-peaking, stable.
Summary: Usage averages 1,180 kWh a month and peaks at 1,900 kWh in August; it is summer-peaking and stable.

Usage: average 640 kWh a month, peak 1,020 kWh in January, lowest 410 kWh in May, winter-peaking, falling.
Summary: Usage averages 640 kWh a month and peaks at 1,020 kWh in January; it is winter-peaking and falling.

Usage: average 2,350 kWh a month, peak 2,600 kWh in July, lowest 2,100 kWh in April, flat, rising.
Summary: Usage averages 2,350 kWh a month and peaks at 2,600 kWh in July; it is flat and rising.

"""


def describe(usage: UsageFacts) -> str:
    return (
        f"average {usage.average_monthly_kwh:,.0f} kWh a month, peak {usage.peak_kwh:,.0f} kWh in {usage.peak_month}, "
        f"lowest {usage.lowest_kwh:,.0f} kWh in {usage.lowest_month}, {usage.seasonal_pattern}, {usage.trend}"
    )


def usage_numbers(facts: Facts) -> list[float]:
    usage = facts.usage
    return [usage.total_kwh, usage.average_monthly_kwh, usage.peak_kwh, usage.lowest_kwh, 12,
            *(float(u) for u in facts.inputs.monthly_usage_kwh)]


class UsageSummary(Stage):
    name = "usage_summary"
    task = "summarize a household's monthly electricity usage in one sentence for the customer"
    default_settings = GenerationSettings(max_tokens=80, temperature=0.2)

    def reference_answer(self, facts: Facts, upstream: dict[str, Any]) -> str:
        usage = facts.usage
        summary = (
            f"Usage averages {usage.average_monthly_kwh:,.0f} kWh a month, peaking at {usage.peak_kwh:,.0f} kWh in "
            f"{usage.peak_month}; the pattern is {usage.seasonal_pattern} and the trend is {usage.trend}."
        )
        return json.dumps({"summary": summary, "seasonal_pattern": usage.seasonal_pattern, "trend": usage.trend})

    def chat_prompt(self, facts: Facts, upstream: dict[str, Any]) -> tuple[str, str]:
        system = "You are an energy analyst. Answer with one JSON object and nothing else."
        user = (
            f"Monthly electricity usage facts: {describe(facts.usage)}.\n"
            'Return {"summary": "<one sentence for a customer>", '
            f'"seasonal_pattern": one of {list(PATTERNS)}, "trend": one of {list(TRENDS)}}}. '
            "Use only numbers that appear in the facts."
        )
        return system, user

    def completion_prompts(self, facts: Facts, upstream: dict[str, Any], model: ModelRef) -> list[str]:
        return [f"{FEW_SHOT}Usage: {describe(facts.usage)}.\nSummary:"]

    def parse_json(self, answer: dict[str, Any], facts: Facts, upstream: dict[str, Any]) -> dict[str, Any]:
        for field, expected in (("seasonal_pattern", facts.usage.seasonal_pattern), ("trend", facts.usage.trend)):
            if answer.get(field) != expected:
                raise OutputInvalid("wrong_fact", f"{field} is {answer.get(field)!r}, the facts say {expected!r}")
        summary = answer.get("summary")
        if not isinstance(summary, str) or not summary.strip():
            raise OutputInvalid("bad_format", "summary is missing")
        return self._output(summary.strip(), facts)

    def parse_completion(self, texts: list[str], facts: Facts, upstream: dict[str, Any]) -> dict[str, Any]:
        return self._output(one_line(texts[0]), facts)

    def draft(self, output: dict[str, Any], part: int | None = None) -> str:
        return output["summary"]

    def _output(self, summary: str, facts: Facts) -> dict[str, Any]:
        wrong = unsupported_numbers(summary, usage_numbers(facts))
        if wrong:
            raise OutputInvalid("wrong_number", f"summary states numbers not in the facts: {wrong}")
        usage = facts.usage
        contradictions = (label_claim_errors(summary, labels=PATTERNS, actual=usage.seasonal_pattern)
                          + label_claim_errors(summary, labels=TRENDS, actual=usage.trend))
        if contradictions:
            raise OutputInvalid("wrong_fact", f"summary {contradictions[0]}")
        return {**facts.usage.as_dict(), "summary": summary}
