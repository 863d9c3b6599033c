"""What a good model answers to each pipeline stage's prompt, built from the facts the prompt
carries (each stage's chat prompt in energy/pipeline/stages/, and the few-shot completion
prompts): the fault server's answer whenever it is not told to fail."""

import json
import re
from typing import Any

USAGE_FACTS = re.compile(
    r"average (?P<average>[\d,.]+) kWh a month, peak (?P<peak>[\d,.]+) kWh in (?P<month>\w+), "
    r"lowest [\d,.]+ kWh in \w+, (?P<pattern>[\w-]+), (?P<trend>\w+)"
)
WANTED = re.compile(r"with the best (\d+) plans")
COMPLETION_WANTED = re.compile(r"Best (\d+):\s*$")
COMPLETION_FACTS = re.compile(r"Facts: ([^\n]*)\.\n(?:Drafts: [^\n]*\n)?Why:\s*$")
# A council's ranking request: the answers it shows, under their labels.
SHOWN_ANSWER = re.compile(r"^Answer ([A-F]): ", flags=re.MULTILINE)
CHAT_RANKING_ASK = "Rank the answers from best to worst"


def answer_for(prompt: str, *, chat: bool) -> tuple[str, str]:
    """(stage, the text a good model would answer) for a stage prompt; ("other", "OK") for anything else."""
    if (chat and CHAT_RANKING_ASK in prompt) or (not chat and prompt.rstrip().endswith("Best first:")):
        return "council_ranking", ranking_answer(prompt, chat=chat)
    if chat:
        if "Monthly electricity usage facts:" in prompt:
            return "usage_summary", json.dumps(usage_answer(prompt))
        if '"ranking"' in prompt:
            return "plan_scoring", json.dumps(scoring_answer(prompt))
        if '"explanations"' in prompt:
            return "narrative", json.dumps(narrative_answer(prompt))
        return "other", "OK"
    if prompt.rstrip().endswith("Summary:"):
        facts = usage_facts(prompt)
        return "usage_summary", (f" Usage averages {facts['average']} kWh a month and peaks at {facts['peak']} kWh in "
                                 f"{facts['month']}; it is {facts['pattern']} and {facts['trend']}.\n")
    wanted = COMPLETION_WANTED.search(prompt)
    if wanted:
        block = prompt.rsplit("Customer wants:", 1)[-1]
        ids = re.findall(r"^#(\d+):", block, flags=re.MULTILINE)[: int(wanted.group(1))]
        return "plan_scoring", " " + ", ".join(f"#{plan_id}" for plan_id in ids) + "\n"
    facts_line = COMPLETION_FACTS.search(prompt)
    if facts_line:
        return "narrative", f" {facts_line.group(1)}.\n"
    return "other", "OK"


def ranking_answer(prompt: str, *, chat: bool) -> str:
    """A council ranking in the order the answers were shown (the last task's, after any examples)."""
    labels = SHOWN_ANSWER.findall(prompt.rsplit("Task:", 1)[-1] if not chat else prompt)
    return json.dumps({"ranking": labels}) if chat else " " + ", ".join(labels) + "\n"


def usage_facts(prompt: str) -> dict[str, str]:
    # A few-shot prompt's examples have the same shape: the facts asked about come last.
    matches = list(USAGE_FACTS.finditer(prompt))
    if not matches:
        raise ValueError("no usage facts in the prompt")
    return matches[-1].groupdict()


def usage_answer(prompt: str) -> dict[str, str]:
    facts = usage_facts(prompt)
    summary = (f"Usage averages {facts['average']} kWh a month, peaking at {facts['peak']} kWh in {facts['month']}; "
               f"the pattern is {facts['pattern']} and the trend is {facts['trend']}.")
    return {"summary": summary, "seasonal_pattern": facts["pattern"], "trend": facts["trend"]}


def json_list_line(prompt: str) -> list[dict[str, Any]]:
    return json.loads(next(line for line in prompt.splitlines() if line.startswith("[")))


def scoring_answer(prompt: str) -> dict[str, Any]:
    wanted = WANTED.search(prompt)
    count = int(wanted.group(1)) if wanted else 3
    plans = json_list_line(prompt)[:count]
    return {"ranking": [{"plan_id": plan["plan_id"], "score": max(0, 95 - 5 * rank)} for rank, plan in enumerate(plans)]}


def narrative_answer(prompt: str) -> dict[str, Any]:
    plans = json_list_line(prompt)
    return {"explanations": [{"plan_id": plan["plan_id"], "why": f"Ranked #{rank}: {plan['facts']}."}
                             for rank, plan in enumerate(plans, start=1)]}
