"""Writes of the benchmark workflow: starting a run (the run, its routes and every claimable
unit, in one transaction; the drivers are queued once it commits), and writing a finished run's
measured figures into the catalog."""

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from energy.llm.base import STAGES
from energy.problems import ClientError
from evaluation.benchmarks.aggregates import route_figures
from evaluation.catalog.routes import get_model
from evaluation.figures import median, route_label
from evaluation.models import AIModel, BenchmarkRoute, BenchmarkRun, BenchmarkSuite, BenchmarkUnit

RUN_PERMISSION = "evaluation.add_benchmarkrun"
MAX_UNITS = 5000


class BenchmarkRefused(ClientError):
    status = 422
    title = "Benchmark refused"


def normalize_route(route: str | dict[str, str]) -> dict[str, str]:
    """A model key (every stage) or a per-stage mapping → canonical keys for every stage."""
    mapping = dict.fromkeys(STAGES, route) if isinstance(route, str) else dict(route)
    missing = [stage for stage in STAGES if stage not in mapping]
    unknown = [stage for stage in mapping if stage not in STAGES]
    if missing or unknown:
        raise BenchmarkRefused(f"a route needs exactly the stages {', '.join(STAGES)}")
    return {stage: get_model(key).key for stage, key in mapping.items()}


def start_benchmark(suite: BenchmarkSuite, routes: list[str | dict[str, str]], *, acting_user: AbstractBaseUser | None,
                    repetitions: int = 3, warmup_repetitions: int = 1, concurrency: int = 1, label: str = "") -> BenchmarkRun:
    if acting_user is not None and not acting_user.has_perm(RUN_PERMISSION):
        raise PermissionDenied(f"{acting_user} may not run benchmarks (needs {RUN_PERMISSION})")
    if not routes:
        raise BenchmarkRefused("choose at least one model or route")
    if not 1 <= repetitions <= 100 or not 0 <= warmup_repetitions <= 10 or not 1 <= concurrency <= 16:
        raise BenchmarkRefused("repetitions must be 1–100, warm-up 0–10 and concurrency 1–16")
    stage_models = [normalize_route(route) for route in routes]
    scenarios = list(suite.scenarios.all())
    if not scenarios:
        raise BenchmarkRefused(f"suite {suite.name} has no scenarios")
    if len(stage_models) * (len(scenarios) * repetitions + warmup_repetitions) > MAX_UNITS:
        raise BenchmarkRefused(f"that is more than {MAX_UNITS} units; split the run")
    with transaction.atomic():
        run = BenchmarkRun.objects.create(suite=suite, label=label, repetitions=repetitions, created_by=acting_user,
                                          warmup_repetitions=warmup_repetitions, concurrency=concurrency)
        units = []
        for mapping in stage_models:
            route = BenchmarkRoute.objects.create(run=run, label=route_label(mapping), stage_models=mapping)
            # Warm-up units replay the first scenario; they are claimed first and never aggregated.
            units += [BenchmarkUnit(run=run, route=route, scenario=scenarios[0], repetition=r, is_warmup=True,
                                    unit_key=f"{run.pk}:{route.pk}:{scenarios[0].pk}:w{r}") for r in range(warmup_repetitions)]
            units += [BenchmarkUnit(run=run, route=route, scenario=scenario, repetition=r,
                                    unit_key=f"{run.pk}:{route.pk}:{scenario.pk}:{r}")
                      for scenario in scenarios for r in range(repetitions)]
        BenchmarkUnit.objects.bulk_create(units)
        for _ in range(concurrency):
            transaction.on_commit(lambda: async_task("evaluation.tasks.drive_benchmark", run.pk))
    return run


@transaction.atomic
def write_measured_figures(run: BenchmarkRun) -> list[str]:
    """Copy a finished run's measured TTFT, tokens/s, p95 and cost per recommendation of its
    single-model routes to the catalog. Called once per run, by whoever closes it. Returns the
    keys updated."""
    updated = []
    for figures in route_figures(run):
        key = figures.single_model
        if key is None or figures.latency is None:
            continue
        ttfts = [s.ttft.p50 for s in figures.stages.values() if s.ttft]
        speeds = [s.tokens_per_s for s in figures.stages.values() if s.tokens_per_s]
        AIModel.objects.filter(key=key).update(
            measured_ttft_ms=median(ttfts), measured_tokens_per_s=median(speeds), measured_p95_ms=figures.latency.p95,
            measured_cost_per_recommendation=Decimal(str(figures.cost_per_recommendation or 0)),
            measured_at=timezone.now(),
        )
        updated.append(key)
    return updated
