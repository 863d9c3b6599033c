"""Judges at work: claim a score of one output under the benchmark units' lease
(evaluation.benchmarks.leases), ask the judge through the recording caller (every call an LLMCall
row, like a benchmark's), and store the verdict, or fail the score with the reason when the judge
cannot be reached or its answer is not a score on the rubric. The reaper requeues or fails scores
whose worker died, so every score ends done or failed."""

import logging
import time
from datetime import timedelta

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from energy import shutdown
from energy.calls import RecordingCaller
from energy.llm.base import Completion, ModelRef
from energy.llm.scopes import BENCHMARK
from evaluation.benchmarks import leases
from evaluation.catalog.routes import get_model, model_ref
from evaluation.models import JudgeScore, Judging
from evaluation.ratings.judge_prompt import JudgeAnswerInvalid, judge_request, parse_answer

logger = logging.getLogger(__name__)


def claim_next(judging_id: int) -> tuple[JudgeScore, str] | None:
    candidates = JudgeScore.objects.filter(judging_id=judging_id, status=JudgeScore.Status.QUEUED).order_by(
        "id").values_list("id", flat=True)[:20]
    claimed = leases.claim(JudgeScore, candidates)
    if claimed is None:
        return None
    score_id, token = claimed
    return JudgeScore.objects.select_related("item").get(pk=score_id), token


async def ask(judge: ModelRef, score: JudgeScore, caller: RecordingCaller) -> tuple[Completion, dict]:
    """The judge's completion and the fields it makes: the scores, or the failure with the reason."""
    completion = await caller.complete(judge, judge_request(judge, score.item.inputs, score.item.payload))
    measured = {"raw_answer": completion.text[:10_000], "input_tokens": completion.input_tokens,
                "output_tokens": completion.output_tokens,
                "cost_usd": judge.cost_usd(completion.input_tokens, completion.output_tokens)}
    try:
        verdict = parse_answer(judge, completion.text)
    except JudgeAnswerInvalid as exc:
        # Its call row says so, as a stage's rejected answer does.
        await caller.reject(judge, [completion], "bad_format", str(exc))
        return completion, {**measured, "status": JudgeScore.Status.FAILED, "error": f"unparseable answer: {exc}"[:2000]}
    return completion, {**measured, "status": JudgeScore.Status.DONE, "error": "", "flags": list(verdict.flags),
                        "why_sensible": verdict.why_sensible, "values_reasonable": verdict.values_reasonable,
                        "overall": verdict.overall}


def execute(score: JudgeScore, token: str) -> bool:
    """Score one output and store it if this worker still holds the lease. Returns whether it did."""
    caller = RecordingCaller(context=f"judge:{score.judging_id}:{score.pk}", background=True, scope=BENCHMARK)
    started = time.perf_counter()
    try:
        judge = model_ref(get_model(score.judge_key))
        _, fields = async_to_sync(shutdown.interruptible)(ask(judge, score, caller))
    except shutdown.ShuttingDown:
        leases.hand_back(JudgeScore, score.pk, token)
        raise
    except Exception as exc:  # one score fails, the judging goes on
        logger.warning("judge score %s failed: %s", score.pk, exc)
        fields = {"status": JudgeScore.Status.FAILED, "error": f"{type(exc).__name__}: {exc}"[:2000]}
    fields.update(finished_at=timezone.now(), duration_ms=(time.perf_counter() - started) * 1000)
    return leases.store(JudgeScore, score.pk, token, fields)


def drive(judging_id: int, *, budget_s: float | None = None) -> tuple[int, bool]:
    """Claim and execute the judging's scores until none is queued, the time budget is spent or the
    process is stopping. Returns (scores stored, whether scores remain)."""
    budget_s = settings.BENCHMARK_DRIVER_BUDGET_S if budget_s is None else budget_s
    deadline = time.monotonic() + budget_s
    done = 0
    while time.monotonic() < deadline and not shutdown.requested():
        claimed = claim_next(judging_id)
        if claimed is None:
            return done, False
        try:
            done += execute(*claimed)
        except shutdown.ShuttingDown:
            break
    return done, JudgeScore.objects.filter(judging_id=judging_id, status=JudgeScore.Status.QUEUED).exists()


@transaction.atomic
def reap_expired(now=None) -> tuple[int, int]:
    """Requeue the scores whose lease expired, or fail them after BENCHMARK_MAX_ATTEMPTS."""
    return leases.reap(JudgeScore, now)


def stalled_judgings(now=None) -> list[int]:
    """Judgings with queued scores, none running, and no score started or finished for a lease
    period (nor the judging created): their drivers are gone, so new ones must start."""
    now = now or timezone.now()
    quiet_since = now - timedelta(seconds=settings.BENCHMARK_LEASE_S)
    waiting = (Judging.objects.filter(scores__status=JudgeScore.Status.QUEUED, created_at__lt=quiet_since)
               .exclude(scores__status=JudgeScore.Status.RUNNING).values("pk"))
    candidates = Judging.objects.filter(pk__in=waiting).annotate(
        last_start=Max("scores__started_at"), last_finish=Max("scores__finished_at"))
    return [judging.pk for judging in candidates
            if max(filter(None, (judging.last_start, judging.last_finish)), default=judging.created_at) < quiet_since]

