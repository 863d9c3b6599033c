"""The model catalog over HTTP: read the models and slots, switch and roll back a slot, start
benchmark runs and follow them.

Writes go through evaluation.actions with the API key's user as the acting user, so the API
is held to the same permission, refusals and audit as the admin and the management commands."""

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Status

from energy.problems import ClientError
from energy.schemas import ProblemOut
from evaluation import actions
from evaluation.aggregates import route_figures
from evaluation.catalog import get_model
from evaluation.health import latest_probe, probe_age_s
from evaluation.models import AIModel, BenchmarkRun, BenchmarkSuite, BenchmarkUnit, Slot
from evaluation.report import run_progress
from evaluation.schemas import (
    BenchmarkAccepted,
    BenchmarkFiguresIn,
    BenchmarkIn,
    BenchmarkListIn,
    BenchmarkRunDetailOut,
    BenchmarkRunOut,
    ModelFilterIn,
    ModelOut,
    RollbackIn,
    SlotOut,
    SwitchIn,
)

router = Router(tags=["models"])

WRITE_RESPONSES = {200: SlotOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ProblemOut}


class UnknownSlotError(ClientError):
    status = 404
    title = "Unknown slot"


class UnknownSuiteError(ClientError):
    status = 404
    title = "Unknown benchmark suite"


class UnknownRunError(ClientError):
    status = 404
    title = "Unknown benchmark run"


def describe_slot(slot: Slot) -> dict[str, Any]:
    probe = latest_probe(slot.model_id)
    change = slot.changes.select_related("from_model", "to_model", "acting_user").first()
    return {
        "name": slot.name,
        "model": slot.model.key,
        "challenger": None if slot.challenger is None else {
            "model": slot.challenger.key, "share": slot.challenger_share, "started_at": slot.canary_started_at,
        },
        "updated_at": slot.updated_at,
        "probe": None if probe is None else {
            "ok": probe.ok,
            "latency_ms": None if probe.latency_ms is None else round(probe.latency_ms, 2),
            "error": probe.error,
            "created_at": probe.created_at,
            "age_s": round(probe_age_s(probe), 1),
        },
        "last_change": None if change is None else {
            "created_at": change.created_at,
            "acting_user": change.acting_user.get_username() if change.acting_user else None,
            "from_model": change.from_model.key if change.from_model else None,
            "to_model": change.to_model.key,
            "reason": change.reason,
            "kind": change.kind,
            "forced": change.forced,
        },
    }


def slots() -> list[dict[str, Any]]:
    return [describe_slot(slot) for slot in Slot.objects.select_related("model", "challenger")]


def slot_named(name: str) -> Slot:
    slot = Slot.objects.select_related("model", "challenger").filter(name=name).first()
    if slot is None:
        raise UnknownSlotError(f"there is no slot named {name!r}")
    return slot


def acting_user(request: HttpRequest, *, to: str = "switch models") -> AbstractBaseUser:
    """The user the API key acts for; a key without one may only read."""
    user = request.auth.user
    if user is None:
        raise PermissionDenied(f"API key {request.auth.prefix}… does not act for a user, so it may not {to}")
    return user


def switch(slot_name: str, model_key: str, *, user: AbstractBaseUser, reason: str, force: bool) -> dict[str, Any]:
    # Permission first, so a caller who may not switch learns nothing about slots and models.
    actions.check_permission(user)
    slot_named(slot_name)
    actions.switch_slot(slot_name, get_model(model_key), acting_user=user, reason=reason, force=force)
    return describe_slot(slot_named(slot_name))


def rollback(slot_name: str, *, user: AbstractBaseUser, reason: str, force: bool) -> dict[str, Any]:
    actions.check_permission(user)
    slot_named(slot_name)
    actions.rollback_slot(slot_name, acting_user=user, reason=reason, force=force)
    return describe_slot(slot_named(slot_name))


@router.get("/models", response={200: list[ModelOut], 401: ProblemOut, 422: ProblemOut},
            summary="The model catalog, with measured figures and whether each provider's secret is set")
async def list_models(request: HttpRequest, filters: Query[ModelFilterIn]):
    models = AIModel.objects.select_related("provider")
    if filters.status:
        models = models.filter(status=filters.status)
    if filters.provider_kind:
        models = models.filter(provider__kind=filters.provider_kind)
    return [model async for model in models]


@router.get("/slots", response={200: list[SlotOut], 401: ProblemOut},
            summary="Each slot's model, canary, latest probe and last change")
async def list_slots(request: HttpRequest):
    return await sync_to_async(slots)()


@router.put(
    "/slots/{slot}", response=WRITE_RESPONSES,
    summary="Switch the model serving a slot",
    description="Needs an API key that acts for a user with the `evaluation.switch_slot` permission (403 otherwise). "
                "The model must be enabled, its provider's secret set and a live probe must pass (409 with the reason "
                "otherwise); `force` with a reason overrides the probe only. The switch is audited.",
)
async def switch_model(request: HttpRequest, slot: str, payload: SwitchIn):
    user = acting_user(request)
    return await sync_to_async(switch)(slot, payload.model, user=user, reason=payload.reason, force=payload.force)


@router.post(
    "/slots/{slot}/rollback", response=WRITE_RESPONSES,
    summary="Put back the model the slot had before its latest switch",
    description="Same permission and checks as a switch; audited as a rollback.",
)
async def rollback_model(request: HttpRequest, slot: str, payload: RollbackIn):
    user = acting_user(request)
    return await sync_to_async(rollback)(slot, user=user, reason=payload.reason, force=payload.force)


# Benchmarks -------------------------------------------------------------------------------


def start(payload: BenchmarkIn, *, user: AbstractBaseUser) -> dict[str, Any]:
    suite = BenchmarkSuite.objects.filter(name=payload.suite).first()
    if suite is None:
        raise UnknownSuiteError(f"there is no benchmark suite named {payload.suite!r}")
    run = actions.start_benchmark(
        suite, payload.route_specs(), acting_user=user, repetitions=payload.repetitions,
        warmup_repetitions=payload.warmup_repetitions, concurrency=payload.concurrency, label=payload.label,
    )
    return {"id": run.pk, "status": run.status, "status_url": f"/api/v1/benchmarks/{run.pk}", "units": run.units.count()}


def describe_run(run: BenchmarkRun) -> dict[str, Any]:
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
        "progress": run_progress(run.pk).as_dict(),
    }


def recent_runs(limit: int) -> list[dict[str, Any]]:
    runs = BenchmarkRun.objects.select_related("suite", "created_by").prefetch_related("routes")[:limit]
    return [describe_run(run) for run in runs]


def run_detail(run_id: int, *, requests_per_day: int) -> dict[str, Any]:
    run = BenchmarkRun.objects.select_related("suite", "created_by").filter(pk=run_id).first()
    if run is None:
        raise UnknownRunError(f"there is no benchmark run {run_id}")
    measured = run.units.filter(is_warmup=False, status__in=BenchmarkUnit.TERMINAL).exists()
    aggregates = [f.as_dict(requests_per_day) for f in route_figures(run)] if measured else None
    return {**describe_run(run), "aggregates": aggregates}


@router.post(
    "/benchmarks", response={202: BenchmarkAccepted, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut},
    tags=["benchmarks"], summary="Start a benchmark run",
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


@router.get("/benchmarks", response={200: list[BenchmarkRunOut], 401: ProblemOut, 422: ProblemOut}, tags=["benchmarks"],
            summary="Recent benchmark runs, newest first, with their progress")
async def list_benchmarks(request: HttpRequest, filters: Query[BenchmarkListIn]):
    return await sync_to_async(recent_runs)(filters.limit)


@router.get(
    "/benchmarks/{run_id}", response={200: BenchmarkRunDetailOut, 401: ProblemOut, 404: ProblemOut, 422: ProblemOut},
    tags=["benchmarks"], summary="A benchmark run: status, progress and, once units have ended, the aggregates per route",
    description="`aggregates` are computed from the measured units that have ended (warm-up excluded): percentiles with "
                "n, error rate, JSON validity, quality, cost per recommendation, the bottleneck stage, per-stage figures "
                "and the monthly cost at `requests_per_day`.",
)
async def get_benchmark(request: HttpRequest, run_id: int, figures: Query[BenchmarkFiguresIn]):
    return await sync_to_async(run_detail)(run_id, requests_per_day=figures.requests_per_day)
