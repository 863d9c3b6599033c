"""A council serves one stage in three steps, and its answer is validated like any model's.

1. **Answers.** Every member answers the stage's own prompt, in parallel, and each answer is
   checked by the stage's parser. A member that fails, times out (`answers_timeout_s`) or
   answers something the stage refuses is dropped; with fewer valid answers than `min_answers`
   the council fails the stage (`CouncilBelowMinimum`), which then falls back along its chain
   like any failed model.
2. **Peer ranking.** Each member that answered ranks the others' answers, shown under labels
   (A, B, …), never model names, in parallel. Synthesis starts once `ranking_share` of the
   rankings asked for have arrived, or at `ranking_timeout_s` with whatever has. A ranking that
   cannot be parsed is dropped. The rules engine answers but never ranks (it has no judgement of
   prose), and with fewer than three answers there is nothing to rank: each ranker would see a
   single answer.
3. **Synthesis.** The chairman answers the stage's prompt with the answers beside it, best-ranked
   first, within `synthesis_timeout_s`; its answer goes through the same parser (facts
   validation, the narrative's per-plan fallback). A chairman that fails falls back to the
   best-ranked valid answer. The rules engine as chairman picks that answer without a call.

Every degradation is named in the stage's fallbacks (reasons starting `council_`); the
attribution says, per member, what each call cost and took and whether its answer was used, how
far the rankings agreed, and what the chairman did. Nothing here sleeps: each step waits on the
calls themselves, bounded by its own timeout and by the request's deadline (the caller's).
"""

import asyncio
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from energy.llm.base import (
    Completion,
    CompletionRequest,
    GenerationSettings,
    ModelRef,
    ProviderError,
    ProviderTimeout,
)
from energy.pipeline.calling import ModelCaller, call_all, tell_rejected
from energy.pipeline.facts import Facts
from energy.pipeline.stages.base import OutputInvalid, Stage, first_line, parse_json_object

LABELS = "ABCDEF"
STEP_NUMBERS = {"answer": 1, "ranking": 2, "synthesis": 3}
# Fewer answers than this leave each ranker a single answer to "rank".
RANKABLE_ANSWERS = 3
# A ranking is a few labels: one line after the few-shot examples, or a small JSON object.
RANKING_SETTINGS = {"completion": GenerationSettings(max_tokens=24, temperature=0.0, stop=("\n",)),
                    "chat": GenerationSettings(max_tokens=64, temperature=0.0)}
RANKING_FEW_SHOT = """Task: rank the answers, best first.
Answer A: Usage averages 640 kWh a month; it is winter-peaking.
Answer B: Usage averages 640 kWh a month and peaks at 1,020 kWh in January; it is winter-peaking and falling.
Best first: B, A

Task: rank the answers, best first.
Answer A: #12, #31, #7
Answer B: #7, #12, #40
Answer C: #12, #7, #31
Best first: A, C, B

"""
LABEL = re.compile(r"\b([A-F])\b")

# listener(step, data): one step's result (an answer, a ranking, the synthesis) as soon as it is known.
CouncilListener = Callable[[str, dict[str, Any]], Awaitable[None]]


async def ignore(step: str, data: dict[str, Any]) -> None:
    return None


class CouncilBelowMinimum(ProviderError):
    """Fewer members gave a valid answer than the council needs to go on. Carries what the
    attempt did, so that the stage records its calls and the members' failures."""

    error_class = "council_below_minimum"

    def __init__(self, message: str, *, calls: list["Call"], errors: list[dict[str, Any]],
                 fallbacks: list[dict[str, Any]]):
        super().__init__(message)
        self.calls, self.errors, self.fallbacks = calls, errors, fallbacks


@dataclass
class Call:
    """One model's part in one step: its outcome ("ok", or why not), its completions, its time."""

    model: ModelRef
    label: str = ""
    outcome: str = "pending"
    message: str = ""
    completions: list[Completion] = field(default_factory=list)
    latency_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    @property
    def cost_usd(self) -> Decimal:
        return self.model.cost_usd(sum(c.input_tokens for c in self.completions),
                                   sum(c.output_tokens for c in self.completions))

    def figures(self) -> dict[str, Any]:
        ttft = self.completions[0].ttft_ms if self.completions else None
        return {"outcome": self.outcome, "latency_ms": round(self.latency_ms, 3),
                "ttft_ms": None if ttft is None else round(ttft, 3),
                "input_tokens": sum(c.input_tokens for c in self.completions),
                "output_tokens": sum(c.output_tokens for c in self.completions),
                "cost_usd": float(self.cost_usd.quantize(Decimal("1e-8")))}


@dataclass
class Answer(Call):
    output: dict[str, Any] | None = None


@dataclass
class Ranking(Call):
    order: tuple[str, ...] = ()


@dataclass
class CouncilOutcome:
    output: dict[str, Any]
    # Whose answer was served, and the completions that carried it (the chairman's, or the
    # best-ranked member's when the chairman failed): a rejected part's index points into these.
    served_by: ModelRef
    served_completions: list[Completion]
    calls: list[Call]
    attribution: dict[str, Any]
    fallbacks: list[dict[str, Any]]
    errors: list[dict[str, Any]]


async def run_step(call: Call, work: Callable[[], Awaitable[Any]]) -> Any:
    """One model's part in a step, its outcome recorded on `call`: a model's failure ends the
    call, never the council."""
    started = time.perf_counter()
    try:
        result = await work()
    except (ProviderError, OutputInvalid) as exc:
        call.outcome = exc.kind if isinstance(exc, OutputInvalid) else exc.error_class
        call.message = str(exc)
        result = None
    else:
        call.outcome = "ok"
    finally:
        call.latency_ms = (time.perf_counter() - started) * 1000
    return result


async def wait_for_calls(tasks: dict["asyncio.Task[Any]", Call], timeout_s: float,
                         on_done: Callable[[Call], Awaitable[None]],
                         enough: Callable[[], bool] = lambda: False) -> None:
    """Wait until every call is done, `enough()` holds, or `timeout_s` passes, handing each call
    to `on_done` the moment it finishes. What is still running then is cancelled (the caller
    records those calls as cancelled): `not_needed` once enough is in, `timeout` otherwise."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    pending = set(tasks)
    try:
        while pending and not enough():
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            done, pending = await asyncio.wait(pending, timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
            for task in sorted(done, key=lambda t: tasks[t].label):
                await on_done(tasks[task])
    finally:
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
    reached = enough()
    for task in pending:
        call = tasks[task]
        call.outcome = "not_needed" if reached else "timeout"
        call.message = "" if reached else f"no answer within {timeout_s:g} s"


def aggregate_ranking(labels: list[str], orders: list[tuple[str, ...]]) -> list[str]:
    """The labels best first, by their mean relative place over the rankings that placed them
    (0 first, 1 last); a label no ranking placed sits in the middle; ties keep answer order."""
    def place(label: str) -> float:
        places = [order.index(label) / (len(order) - 1) for order in orders if label in order and len(order) > 1]
        return sum(places) / len(places) if places else 0.5

    return sorted(labels, key=lambda label: (place(label), labels.index(label)))


def kendall_tau(order: tuple[str, ...], reference: list[str]) -> float | None:
    """Kendall's tau between a ranking and a reference order, over the labels both hold."""
    common = [label for label in order if label in reference]
    pairs = [(x, y) for i, x in enumerate(common) for y in common[i + 1:]]
    if not pairs:
        return None
    return sum(1 if reference.index(x) < reference.index(y) else -1 for x, y in pairs) / len(pairs)


def ranking_agreement(orders: list[tuple[str, ...]]) -> tuple[float | None, int]:
    """How far the rankings agree: the mean Kendall's tau between each ranking and the aggregate
    of the others (leave one out), and how many rankings that mean is over. Each member ranks the
    others' answers, so no two rankings hold the same labels and a plain pairwise comparison has
    nothing to compare in a council of three; each against the rest's consensus always has."""
    taus = []
    for i, order in enumerate(orders):
        rest = orders[:i] + orders[i + 1:]
        if not rest:
            continue
        tau = kendall_tau(order, aggregate_ranking(list(order), rest))
        if tau is not None:
            taus.append(tau)
    return (round(sum(taus) / len(taus), 3) if taus else None), len(taus)


def ranking_request(stage: Stage, ranker: ModelRef, shown: list[tuple[str, str]]) -> CompletionRequest:
    """Ask `ranker` to order the answers it is shown (label, answer), best first."""
    settings = ranker.settings_for("council_ranking", RANKING_SETTINGS.get(ranker.prompt_style, RANKING_SETTINGS["chat"]))
    answers = "\n".join(f"Answer {label}: {text}" for label, text in shown)
    if ranker.prompt_style == "completion":
        return CompletionRequest(stage=stage.name, settings=settings,
                                 prompt=f"{RANKING_FEW_SHOT}Task: rank the answers, best first.\n{answers}\nBest first:")
    labels = ", ".join(f'"{label}"' for label, _ in shown)
    system = "You review answers written for customers of an energy advisor. Answer with one JSON object and nothing else."
    user = (f"The task was to {stage.task}.\n{answers}\n"
            "Rank the answers from best to worst: correct and grounded first, then clear and useful. "
            f'Return {{"ranking": [...]}} listing each of the labels {labels} once, best first.')
    return CompletionRequest(stage=stage.name, settings=settings, json_output=True,
                             messages=({"role": "system", "content": system}, {"role": "user", "content": user}))


def parse_ranking(text: str, ranker: ModelRef, labels: list[str]) -> tuple[str, ...]:
    """The order a ranker gave, which must name every label it was shown exactly once."""
    if ranker.prompt_style == "completion":
        named = LABEL.findall(first_line(text))
    else:
        ranking = parse_json_object(text).get("ranking")
        if not isinstance(ranking, list) or not all(isinstance(label, str) for label in ranking):
            raise OutputInvalid("bad_ranking", "ranking must be a list of labels")
        named = [label.strip().removeprefix("Answer ").strip() for label in ranking]
    if sorted(named) != sorted(labels):
        raise OutputInvalid("bad_ranking", f"ranked {named}, expected each of {labels} once")
    return tuple(named)


async def run_council(stage: Stage, facts: Facts, council: ModelRef, caller: ModelCaller, upstream: dict[str, Any],
                      *, listener: CouncilListener = ignore) -> CouncilOutcome:
    spec = council.council
    assert spec is not None, f"{council.key} is not a council"
    fallbacks: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    calls: list[Call] = []
    step_ms: dict[str, float] = {}

    def degraded(reason: str, call: Call | None = None, detail: str = "") -> None:
        entry = {"stage": stage.name, "from": council.key, "to": council.key, "reason": reason}
        if call is not None:
            entry |= {"model": call.model.key, "kind": call.outcome}
            errors.append({"stage": stage.name, "model": call.model.key, "kind": call.outcome,
                           "message": call.message or reason})
        if detail:
            entry["detail"] = detail
        fallbacks.append(entry)

    async def tell_parts(model: ModelRef, output: dict[str, Any], completions: list[Completion]) -> None:
        for part in output.get("rejected_parts", []):
            if part.completion is not None:
                await tell_rejected(caller, model, [completions[part.completion]], part.error)

    # 1. Answers.
    started = time.perf_counter()
    answers = [Answer(model=member, label=LABELS[i]) for i, member in enumerate(spec.members)]
    calls += answers

    async def answer(member: Answer) -> None:
        async def work() -> dict[str, Any]:
            member.completions = await call_all(caller, member.model, stage.build_requests(facts, member.model, upstream))
            try:
                output = stage.parse([c.text for c in member.completions], facts, member.model, upstream)
            except OutputInvalid as exc:
                await tell_rejected(caller, member.model, member.completions, exc)
                raise
            await tell_parts(member.model, output, member.completions)
            return output

        member.output = await run_step(member, work)

    async def answered(member: Call) -> None:
        await listener("answer", {"label": member.label, "model": member.model.key, "outcome": member.outcome,
                                  "latency_ms": round(member.latency_ms, 3),
                                  **({"answer": stage.draft(member.output)} if member.ok else {})})

    await wait_for_calls({asyncio.ensure_future(answer(a)): a for a in answers}, spec.answers_timeout_s, answered)
    for member in answers:
        if member.outcome == "timeout":
            await answered(member)
        if not member.ok:
            degraded("council_member_dropped", member)
    valid = [a for a in answers if a.ok]
    step_ms["answers"] = round((time.perf_counter() - started) * 1000, 3)
    if len(valid) < spec.min_answers:
        raise CouncilBelowMinimum(f"{len(valid)} of {len(answers)} members gave a valid answer; "
                                  f"the council needs {spec.min_answers}", calls=calls, errors=errors, fallbacks=fallbacks)

    # 2. Peer ranking.
    started = time.perf_counter()
    rankers = [Ranking(model=a.model, label=a.label) for a in valid if a.model.prompt_style != "rules"]
    if len(valid) < RANKABLE_ANSWERS or not rankers:
        degraded("council_ranking_skipped",
                 detail=f"{len(valid)} valid answers" if len(valid) < RANKABLE_ANSWERS else "no member can rank")
        rankers = []
    calls += rankers
    needed = max(1, math.ceil(spec.ranking_share * len(rankers) - 1e-9)) if rankers else 0

    async def rank(ranking: Ranking) -> None:
        shown = [(a.label, stage.draft(a.output)) for a in valid if a.label != ranking.label]

        async def work() -> tuple[str, ...]:
            ranking.completions = await call_all(caller, ranking.model, [ranking_request(stage, ranking.model, shown)])
            try:
                return parse_ranking(ranking.completions[0].text, ranking.model, [label for label, _ in shown])
            except OutputInvalid as exc:
                await tell_rejected(caller, ranking.model, ranking.completions, exc)
                raise

        ranking.order = await run_step(ranking, work) or ()

    async def ranked(ranking: Call) -> None:
        await listener("ranking", {"label": ranking.label, "model": ranking.model.key, "outcome": ranking.outcome,
                                   "latency_ms": round(ranking.latency_ms, 3),
                                   **({"ranking": list(ranking.order)} if ranking.ok else {})})

    if rankers:
        await wait_for_calls({asyncio.ensure_future(rank(r)): r for r in rankers}, spec.ranking_timeout_s, ranked,
                             enough=lambda: sum(r.ok for r in rankers) >= needed)
    for ranking in rankers:
        if ranking.outcome not in ("ok", "not_needed", "timeout"):
            degraded("council_ranking_dropped", ranking)
    received = [r.order for r in rankers if r.ok]
    # Rankings that came back unusable are named above; this names the wait that ran out.
    if any(r.outcome == "timeout" for r in rankers) and len(received) < needed:
        degraded("council_ranking_timeout", detail=f"{len(received)} of the {needed} rankings synthesis waits for")
    order = aggregate_ranking([a.label for a in valid], received)
    best_first = sorted(valid, key=lambda a: order.index(a.label))
    agreement, compared = ranking_agreement(received)
    step_ms["ranking"] = round((time.perf_counter() - started) * 1000, 3)

    # 3. Synthesis.
    started = time.perf_counter()
    chairman = Call(model=spec.chairman, label="chairman")
    best = best_first[0]
    if spec.chairman.prompt_style == "rules":
        # The rules engine writes no prose of its own here: it serves the council's best answer.
        chairman.outcome = "picked_best"
        output, served_by, served_completions = best.output, best.model, best.completions
    else:
        calls.append(chairman)

        async def synthesize() -> dict[str, Any]:
            requests = stage.synthesis_requests(facts, spec.chairman, upstream, [a.output for a in best_first])
            try:
                async with asyncio.timeout(spec.synthesis_timeout_s):
                    chairman.completions = await call_all(caller, spec.chairman, requests)
            except TimeoutError as exc:
                raise ProviderTimeout(f"no synthesis within {spec.synthesis_timeout_s:g} s") from exc
            try:
                synthesis = stage.parse([c.text for c in chairman.completions], facts, spec.chairman, upstream)
            except OutputInvalid as exc:
                await tell_rejected(caller, spec.chairman, chairman.completions, exc)
                raise
            await tell_parts(spec.chairman, synthesis, chairman.completions)
            return synthesis

        synthesis = await run_step(chairman, synthesize)
        if chairman.ok:
            output, served_by, served_completions = synthesis, spec.chairman, chairman.completions
        else:
            degraded("council_chairman_failed", chairman, detail=f"served answer {best.label}, ranked best")
            output, served_by, served_completions = best.output, best.model, best.completions
    step_ms["synthesis"] = round((time.perf_counter() - started) * 1000, 3)
    used = {a.label for a in valid} if chairman.ok else {best.label}
    await listener("synthesis", {"model": spec.chairman.key, "outcome": chairman.outcome,
                                 "latency_ms": round(chairman.latency_ms, 3), "served_by": served_by.key,
                                 "answers_used": sorted(used), "answer": stage.draft(output)})

    rankings_by_label = {r.label: r for r in rankers}
    attribution = {
        "council": council.key,
        "served_by": served_by.key,
        "members": [
            {"model": a.model.key, "label": a.label, "used": a.label in used, "answer": a.figures(),
             "ranking": ({**rankings_by_label[a.label].figures(), "order": list(rankings_by_label[a.label].order)}
                         if a.label in rankings_by_label else None)}
            for a in answers
        ],
        "ranking": {"aggregate": order, "asked": len(rankers), "needed": needed, "received": len(received),
                    "agreement": agreement, "agreement_n": compared},
        "chairman": {"model": spec.chairman.key, "used": chairman.ok, **chairman.figures()},
        "steps_ms": step_ms,
    }
    return CouncilOutcome(output=output, served_by=served_by, served_completions=served_completions, calls=calls,
                          attribution=attribution, fallbacks=fallbacks, errors=errors)
