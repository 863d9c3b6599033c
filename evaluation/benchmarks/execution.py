"""Benchmark execution: claim a unit with a lease, run the pipeline on the unit's route, store
the result with a conditional update, so no unit ever counts twice.

A unit is claimed by `queued → running` with a fresh claim token and a lease. Its result is
written only while that token still holds the lease: a worker that lost its lease (it was too
slow, or presumed dead and the unit requeued) has its late result discarded. `reap_expired`
requeues units whose lease ran out, up to MAX_ATTEMPTS, then marks them failed, so every unit
ends in a terminal state even when the cluster is killed with -9.
"""

import logging
import time
from datetime import timedelta
from decimal import Decimal

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from energy import shutdown
from energy.calls import RecordingCaller
from energy.llm.base import STAGES, Route
from energy.llm.scopes import BENCHMARK
from energy.offers import build_inputs
from energy.pipeline.facts import compute_facts
from energy.pipeline.orchestrator import PipelineResult, run_pipeline
from energy.pipeline.stages.base import OutputInvalid
from energy.schemas import RecommendationIn
from evaluation.benchmarks import leases
from evaluation.benchmarks.actions import write_measured_figures
from evaluation.benchmarks.quality import QualityReport, asked_model_quality, check_recommendation
from evaluation.catalog.routes import get_model, model_ref, rules_ref
from evaluation.models import BenchmarkRun, BenchmarkUnit
from evaluation.ratings import items
from evaluation.ratings.actions import refresh_catalog_quality

logger = logging.getLogger(__name__)
JSON_KINDS = {"invalid_json", "bad_format"}


def benchmark_route(stage_models: dict[str, str]) -> Route:
    """The candidate for each stage, then the rules engine: a rejected answer is measured and
    counted against the candidate, and the next stages still get an input."""
    chains = {}
    for stage in STAGES:
        candidate = model_ref(get_model(stage_models[stage]))
        chains[stage] = (candidate,) if candidate.provider_kind == "rules" else (candidate, rules_ref())
    return Route(chains=chains, version="benchmark")


def claim_next(run_id: int) -> tuple[BenchmarkUnit, str] | None:
    """Claim the next queued unit of the run (warm-up units first); None when none is left."""
    candidates = BenchmarkUnit.objects.filter(run_id=run_id, status=BenchmarkUnit.Status.QUEUED).order_by(
        "-is_warmup", "id").values_list("id", flat=True)[:20]
    claimed = leases.claim(BenchmarkUnit, candidates)
    if claimed is None:
        return None
    unit_id, token = claimed
    return BenchmarkUnit.objects.select_related("route", "scenario").get(pk=unit_id), token


def stage_record(result: PipelineResult, stage: str, candidate_key: str) -> dict:
    """The candidate's own attempt at the stage (even if rejected), whether it served it, and
    whether all of its answer was valid (not so for a narrative with some whys replaced). The
    narrative's record also counts the recommended plans' whys, and those the candidate wrote."""
    stage_result = result.stages[stage]
    attempt = next((a for a in stage_result.attempts if a["model"] == candidate_key), stage_result.attempts[0])
    output_tokens = attempt["output_tokens"]
    generation_ms = attempt["inference_ms"] - (attempt["ttft_ms"] or 0)
    record = {
        **{k: v for k, v in attempt.items() if k != "ok"},
        "served_by_candidate": stage_result.model_key == candidate_key,
        "valid": attempt["ok"] and not attempt["rejected_parts"],
        "tokens_per_s": round(output_tokens * 1000 / generation_ms, 2) if output_tokens and generation_ms > 0 else None,
    }
    if "council" in stage_result.timings:  # whose answer was served, how the ranking went: the report's council section
        record["council"] = stage_result.timings["council"]
    if stage == "narrative":
        sources = result.narrative_sources
        record["whys"] = len(sources)
        record["whys_by_candidate"] = sum(1 for source in sources if source["source"] == candidate_key)
    return record


def candidate_share(record: dict) -> float:
    """How much of a stage's answer the candidate wrote: all or nothing, but the narrative's
    whys are kept or replaced one by one."""
    if record.get("whys"):
        return record["whys_by_candidate"] / record["whys"]
    return float(record["served_by_candidate"])


def rejected_kinds(record: dict) -> set[str]:
    """The kinds of what the stage refused of the candidate's answer: all of it, or parts."""
    return {record["kind"], *(part["kind"] for part in record["rejected_parts"])} - {""}


def candidate_quality(report: QualityReport, stages: dict[str, dict]) -> float:
    output_checks = [check.score for name, check in report.checks.items() if name != "served_by_candidate"]
    return asked_model_quality(output_checks, [candidate_share(s) for s in stages.values()])


def execute_unit(unit: BenchmarkUnit, token: str) -> bool:
    """Run one unit and store its result if this worker still holds the lease. Returns whether it did."""
    # Its own breakers and pauses: a benchmark hammering a weak model must not take it out of live service.
    caller = RecordingCaller(context=f"benchmark:{unit.run_id}:{unit.pk}", background=True, scope=BENCHMARK)
    fields: dict = {"finished_at": None}
    try:
        payload = RecommendationIn.model_validate(unit.scenario.payload)
        inputs = build_inputs(payload)
        route = benchmark_route(unit.route.stage_models)
        started = time.perf_counter()
        result = async_to_sync(shutdown.interruptible)(run_pipeline(inputs, route=route, caller=caller))
        wall_ms = (time.perf_counter() - started) * 1000
        stages = {s: stage_record(result, s, unit.route.stage_models[s]) for s in STAGES}
        queue_ms = sum(s.get("queue_ms", 0.0) for s in stages.values())
        candidates = set(unit.route.stage_models.values())
        report = check_recommendation(compute_facts(inputs), result, candidate_keys=candidates)
        json_attempts = [s for s in stages.values() if s["model"] in candidates]
        fields = {
            "status": BenchmarkUnit.Status.SUCCEEDED,
            "output": result.data,
            "stages": stages,
            "json_valid": not any(rejected_kinds(s) & JSON_KINDS for s in json_attempts),
            "quality": report.as_dict(),
            "quality_score": candidate_quality(report, stages),
            "total_ms": wall_ms - queue_ms,
            "queue_ms": queue_ms,
            "cost_usd": sum((Decimal(str(s["cost_usd"])) for s in stages.values()), Decimal(0)),
            "error": "",
        }
    except shutdown.ShuttingDown:
        hand_back(unit, token)
        raise
    except (OutputInvalid, Exception) as exc:  # a unit fails, the benchmark goes on
        logger.exception("benchmark unit %s failed", unit.unit_key)
        fields = {"status": BenchmarkUnit.Status.FAILED, "error": f"{type(exc).__name__}: {exc}"[:2000]}
    fields["finished_at"] = timezone.now()
    with transaction.atomic():
        stored = leases.store(BenchmarkUnit, unit.pk, token, fields)
        if stored:  # the output goes to the raters with the result that counts, never with a discarded one
            for name, value in fields.items():
                setattr(unit, name, value)
            items.collect_unit(unit)
    return stored


def hand_back(unit: BenchmarkUnit, token: str) -> bool:
    """Put a unit this worker was running back in the queue (the process is stopping)."""
    return leases.hand_back(BenchmarkUnit, unit.pk, token)


def drive(run_id: int, *, budget_s: float | None = None) -> tuple[int, bool]:
    """Claim and execute units of the run until none is queued, the time budget is spent (a
    django-q2 task must end inside its timeout) or the process is stopping (the unit in hand goes
    back to the queue). Returns (units stored, whether units remain)."""
    budget_s = settings.BENCHMARK_DRIVER_BUDGET_S if budget_s is None else budget_s
    BenchmarkRun.objects.filter(pk=run_id, status=BenchmarkRun.Status.QUEUED).update(
        status=BenchmarkRun.Status.RUNNING, started_at=timezone.now())
    deadline = time.monotonic() + budget_s
    done = 0
    while time.monotonic() < deadline and not shutdown.requested():
        claimed = claim_next(run_id)
        if claimed is None:
            finish_if_done(run_id)
            return done, False
        try:
            done += execute_unit(*claimed)
        except shutdown.ShuttingDown:
            break
    return done, BenchmarkUnit.objects.filter(run_id=run_id, status=BenchmarkUnit.Status.QUEUED).exists()


def finish_if_done(run_id: int) -> bool:
    unfinished = BenchmarkUnit.objects.filter(run_id=run_id).exclude(status__in=BenchmarkUnit.TERMINAL).exists()
    if unfinished:
        return False
    closed = BenchmarkRun.objects.filter(pk=run_id).exclude(status=BenchmarkRun.Status.FINISHED).update(
        status=BenchmarkRun.Status.FINISHED, finished_at=timezone.now()) == 1
    if closed:  # exactly once per run: whoever closes it refreshes the catalog's figures
        run = BenchmarkRun.objects.get(pk=run_id)
        write_measured_figures(run)
        refresh_catalog_quality()
    return closed


@transaction.atomic
def reap_expired(now=None) -> tuple[int, int]:
    """Requeue units whose lease expired (their worker died or stalled), or fail them after
    MAX_ATTEMPTS. Returns (requeued, failed)."""
    return leases.reap(BenchmarkUnit, now)


def stalled_runs(now=None) -> list[int]:
    """Runs with queued units, nothing running and no unit started or finished for a lease
    period: their drivers are gone (e.g. the cluster was killed), so new ones must start."""
    now = now or timezone.now()
    quiet_since = now - timedelta(seconds=settings.BENCHMARK_LEASE_S)
    waiting = (BenchmarkRun.objects.exclude(status=BenchmarkRun.Status.FINISHED)
               .filter(units__status=BenchmarkUnit.Status.QUEUED, created_at__lt=quiet_since)
               .exclude(units__status=BenchmarkUnit.Status.RUNNING).values("pk"))
    # Annotated in a query of its own: after the filter above, Max() would only see the queued units.
    candidates = BenchmarkRun.objects.filter(pk__in=waiting).annotate(
        last_start=Max("units__started_at"), last_finish=Max("units__finished_at"))
    return [run.pk for run in candidates
            if max(filter(None, (run.last_start, run.last_finish)), default=run.created_at) < quiet_since]
