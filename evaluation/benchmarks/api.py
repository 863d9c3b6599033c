"""Benchmark runs over HTTP: start one, list the recent ones, follow one to its figures. Starting
needs an API key that acts for a user with evaluation.add_benchmarkrun."""

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from ninja import Query, Router, Status

from energy.auth import ApiKeyAuth
from energy.problems import ClientError
from energy.schemas import ProblemOut
from evaluation.benchmarks.actions import start_benchmark
from evaluation.benchmarks.aggregates import route_figures
from evaluation.benchmarks.progress import run_tallies, run_tally
from evaluation.benchmarks.schemas import (
    BenchmarkAccepted,
    BenchmarkFiguresIn,
    BenchmarkIn,
    BenchmarkListIn,
    BenchmarkRunDetailOut,
    BenchmarkRunOut,
    JudgeIn,
    JudgingAccepted,
)
from evaluation.figures import Tally
from evaluation.models import BenchmarkRun, BenchmarkSuite, BenchmarkUnit
from evaluation.ratings.judge_actions import start_judging
from evaluation.ratings.judge_progress import judgings_of
from evaluation.web import acting_user

router = Router(tags=["benchmarks"])


class UnknownSuiteError(ClientError):
    status = 404
    title = "Unknown benchmark suite"


class UnknownRunError(ClientError):
    status = 404
    title = "Unknown benchmark run"

def start(payload: BenchmarkIn, *, user: AbstractBaseUser) -> dict[str, Any]:
    suite = BenchmarkSuite.objects.filter(name=payload.suite).first()
    if suite is None:
        raise UnknownSuiteError(f"there is no benchmark suite named {payload.suite!r}")
    run = start_benchmark(
        suite, payload.route_specs(), acting_user=user, repetitions=payload.repetitions,
        warmup_repetitions=payload.warmup_repetitions, concurrency=payload.concurrency, label=payload.label,
    )
    return {"id": run.pk, "status": run.status, "status_url": f"/api/v1/benchmarks/{run.pk}", "units": run.units.count()}


def judge(run_id: int, payload: JudgeIn, *, user: AbstractBaseUser) -> dict[str, Any]:
    run = BenchmarkRun.objects.filter(pk=run_id).first()
    if run is None:
        raise UnknownRunError(f"there is no benchmark run {run_id}")
    judging = start_judging(run, payload.judge, acting_user=user)
    return {"id": judging.pk, "run": run.pk, "judge": judging.judge_key, "scores": judging.scores.count()}


def describe_run(run: BenchmarkRun, progress: Tally | None = None) -> dict[str, Any]:
    return {
        "id": run.pk,
        "suite": run.suite.name,
        "label": run.label,
        "status": run.status,
        "repetitions": run.repetitions,
        "warmup_repetitions": run.warmup_repetitions,
        "concurrency": run.concurrency,
        "created_by": run.created_by.get_username() if run.created_by else None,
        "created_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "routes": [{"id": r.pk, "label": r.label, "stage_models": r.stage_models} for r in run.routes.all()],
        "progress": (run_tally(run.pk) if progress is None else progress).as_dict(),
    }


def recent_runs(limit: int) -> list[dict[str, Any]]:
    runs = list(BenchmarkRun.objects.select_related("suite", "created_by").prefetch_related("routes")[:limit])
    tallies = run_tallies([run.pk for run in runs])
    return [describe_run(run, tallies[run.pk]) for run in runs]


def run_detail(run_id: int, *, requests_per_day: int) -> dict[str, Any]:
    run = BenchmarkRun.objects.select_related("suite", "created_by").filter(pk=run_id).first()
    if run is None:
        raise UnknownRunError(f"there is no benchmark run {run_id}")
    measured = run.units.filter(is_warmup=False, status__in=BenchmarkUnit.TERMINAL).exists()
    aggregates = [f.as_dict(requests_per_day) for f in route_figures(run)] if measured else None
    judges = [{"id": p.judging.pk, "judge": p.judging.judge_key, "created_at": p.judging.created_at,
               "created_by": p.judging.created_by.username if p.judging.created_by else None,
               "scores": p.by_status, "finished": p.finished} for p in judgings_of(run)]
    return {**describe_run(run), "aggregates": aggregates, "judges": judges}


@router.post(
    "/benchmarks", response={202: BenchmarkAccepted, 404: ProblemOut},
    tags=["benchmarks"], summary="Start a benchmark run", auth=ApiKeyAuth("benchmark"),
    description="Measures every route (a model key, or a model per stage) on every scenario of the suite, `repetitions` "
                "times, after `warmup_repetitions` warm-up units per route; the task queue executes the units, "
                "`concurrency` at a time. Needs an API key that acts for a user with the `evaluation.add_benchmarkrun` "
                "permission (403 otherwise). 404: unknown suite or model; 422: limits (repetitions 1–100, warm-up 0–10, "
                "concurrency 1–16, at most 5000 units), a route without exactly the three stages, or a malformed body. "
                "Answers 202 with the URL to poll.",
)
async def create_benchmark(request: HttpRequest, payload: BenchmarkIn):
    user = acting_user(request, to="run benchmarks")
    return Status(202, await sync_to_async(start)(payload, user=user))


@router.get("/benchmarks", response={200: list[BenchmarkRunOut]},
            tags=["benchmarks"], summary="Recent benchmark runs, newest first, with their progress")
async def list_benchmarks(request: HttpRequest, filters: Query[BenchmarkListIn]):
    return await sync_to_async(recent_runs)(filters.limit)


@router.get(
    "/benchmarks/{run_id}",
    response={200: BenchmarkRunDetailOut, 404: ProblemOut},
    tags=["benchmarks"], summary="A benchmark run: status, progress and, once units have ended, the aggregates per route",
    description="`aggregates` are computed from the measured units that have ended (warm-up excluded): percentiles with "
                "n, error rate, JSON validity, quality, cost per recommendation, the bottleneck stage, per-stage figures "
                "and the monthly cost at `requests_per_day`.",
)
async def get_benchmark(request: HttpRequest, run_id: int, figures: Query[BenchmarkFiguresIn]):
    return await sync_to_async(run_detail)(run_id, requests_per_day=figures.requests_per_day)


@router.post(
    "/benchmarks/{run_id}/judges", response={202: JudgingAccepted, 404: ProblemOut},
    tags=["benchmarks"], summary="Start an LLM judge on a finished run's outputs", auth=ApiKeyAuth("benchmark"),
    description="Queues one score per output of the run for the judge, a catalog model that scores each output on the "
                "raters' rubric (why sensible, values reasonable, overall 1–5, flags), blind to the model that wrote it. "
                "Its scores are stored apart from human ratings; their agreement with the raters and the automatic checks "
                "is shown on the leaderboard and the decision matrix. Needs an API key that acts for a user with the "
                "`evaluation.add_benchmarkrun` permission (403 otherwise). 404: unknown run or judge; 422: a judge that "
                "cannot judge (the rules engine, a model not enabled), a run that has not finished or has no output.",
)
async def create_judging(request: HttpRequest, run_id: int, payload: JudgeIn):
    user = acting_user(request, to="start judges")
    return Status(202, await sync_to_async(judge)(run_id, payload, user=user))
