"""What a stage is: it builds requests for a model's prompt style and validates the answers
against the facts. Every prompt style and the rules engine share one parser per stage, so a
model is judged by exactly the rules the deterministic answer passes."""

import json
import re
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from energy.llm.base import CompletionRequest, GenerationSettings, ModelRef
from energy.pipeline.facts import Facts


class OutputInvalid(Exception):
    """A model answered, but the answer cannot be used. `kind` is one of: invalid_json,
    bad_format, unknown_plan, wrong_number, constraint_violation, wrong_fact."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class RejectedPart:
    """One part of an answer that the stage refused and filled in from its reference answer,
    keeping the rest (one plan's why): what was wrong, and what the model said there.
    `completion` is the index of the completion that held this part and nothing else (a
    completion prompt asks once per plan), whose call was then of no use."""

    plan_id: int
    error: OutputInvalid
    answer: str
    completion: int | None = None


class Stage:
    """A stage's `parse` returns its output, or raises OutputInvalid when nothing in the answer
    can be used. An output may list `rejected_parts` (RejectedPart): the answer was used, but
    those parts of it come from the reference answer."""

    name: ClassVar[str]
    # What the stage asks, in words a council's rankers are told ("The task was to …").
    task: ClassVar[str]
    default_settings: ClassVar[GenerationSettings]

    def build_requests(self, facts: Facts, model: ModelRef, upstream: dict[str, Any]) -> list[CompletionRequest]:
        settings = model.settings_for(self.name, self.default_settings)
        if model.prompt_style == "rules":
            reference = self.reference_answer(facts, upstream)
            return [CompletionRequest(stage=self.name, settings=settings, reference_answer=reference)]
        if model.prompt_style == "completion":
            prompts = self.completion_prompts(facts, upstream, model)
            return [CompletionRequest(stage=self.name, settings=settings, prompt=p) for p in prompts]
        system, user = self.chat_prompt(facts, upstream)
        messages = ({"role": "system", "content": system}, {"role": "user", "content": user})
        return [CompletionRequest(stage=self.name, settings=settings, messages=messages, json_output=True)]

    def parse(self, texts: list[str], facts: Facts, model: ModelRef, upstream: dict[str, Any]) -> dict[str, Any]:
        if model.prompt_style == "completion":
            return self.parse_completion(texts, facts, upstream)
        return self.parse_json(parse_json_object(texts[0]), facts, upstream)

    def draft(self, output: dict[str, Any], part: int | None = None) -> str:
        """An output as a council shows it to its rankers and its chairman, in one line; `part`:
        only what answers the stage's completion request of that index."""
        raise NotImplementedError

    def synthesis_requests(self, facts: Facts, model: ModelRef, upstream: dict[str, Any],
                           drafts: list[dict[str, Any]]) -> list[CompletionRequest]:
        """A council chairman's requests: the stage's own, with the members' answers (outputs,
        best-ranked first) beside the task, so that its answer is parsed like any other."""
        requests = self.build_requests(facts, model, upstream)
        if model.prompt_style == "completion":
            # The drafts go just before the cue the few-shot examples end on ("Why:").
            return [replace(r, prompt=with_drafts(r.prompt, [self.draft(d, i) for d in drafts]))
                    for i, r in enumerate(requests)]
        if model.prompt_style == "chat":
            numbered = "\n".join(f"{n}. {self.draft(d)}" for n, d in enumerate(drafts, start=1))
            system, user = requests[0].messages
            user = {**user, "content": f"{user['content']}\nA council of models drafted these answers, best-ranked first:\n"
                                       f"{numbered}\nKeep what is right in them, correct what is wrong, and answer in "
                                       "the format asked."}
            return [replace(requests[0], messages=(system, user))]
        return requests

    # Each stage implements these.
    def reference_answer(self, facts: Facts, upstream: dict[str, Any]) -> str:
        raise NotImplementedError

    def chat_prompt(self, facts: Facts, upstream: dict[str, Any]) -> tuple[str, str]:
        raise NotImplementedError

    def completion_prompts(self, facts: Facts, upstream: dict[str, Any], model: ModelRef) -> list[str]:
        raise NotImplementedError

    def parse_json(self, answer: dict[str, Any], facts: Facts, upstream: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def parse_completion(self, texts: list[str], facts: Facts, upstream: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError


def with_drafts(prompt: str, drafts: list[str]) -> str:
    head, _, cue = prompt.rpartition("\n")
    return f"{head}\nDrafts: {' | '.join(drafts)}\n{cue}"


FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


def parse_json_object(text: str) -> dict[str, Any]:
    """The JSON object in a chat answer, tolerating a Markdown code fence around it."""
    cleaned = FENCE.sub("", text.strip())
    try:
        value = json.loads(cleaned)
    except json.JSONDecodeError as exc:
        raise OutputInvalid("invalid_json", f"not valid JSON: {exc.msg} at position {exc.pos}") from exc
    if not isinstance(value, dict):
        raise OutputInvalid("invalid_json", "expected a JSON object")
    return value


def first_line(text: str) -> str:
    """The first line of an answer, stripped; "" for a blank answer."""
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def one_line(text: str) -> str:
    line = first_line(text)
    if not line:
        raise OutputInvalid("bad_format", "empty answer")
    return line


def money(value: Any) -> str:
    return f"${value:,.2f}"
