"""Figures of a benchmark run, per route and per stage, from the stored unit samples.

Percentiles come from evaluation.figures and always carry n. Warm-up units never count."""

from dataclasses import dataclass, field

import numpy as np

from energy.llm.base import NEVER_SENT, STAGES
from evaluation.figures import Percentiles, median, percentiles, rate
from evaluation.models import BenchmarkRoute, BenchmarkRun, BenchmarkUnit

DAYS_PER_MONTH = 30

# A stage's try that never reached the model (energy.llm.base.NEVER_SENT) took a few microseconds
# that are not the model's latency; it still counts against the stage's valid rate.
NEVER_SENT_KINDS = frozenset(error.error_class for error in NEVER_SENT)


@dataclass
class StageFigures:
    stage: str
    model_key: str
    latency: Percentiles | None
    ttft: Percentiles | None
    tokens_per_s: float | None
    valid_rate: float | None
    cost_usd_mean: float | None

    def as_dict(self) -> dict:
        return {"stage": self.stage, "model": self.model_key, "latency": self.latency and self.latency.as_dict(),
                "ttft": self.ttft and self.ttft.as_dict(), "tokens_per_s": self.tokens_per_s,
                "valid_rate": self.valid_rate, "cost_usd_mean": self.cost_usd_mean}


@dataclass
class RouteFigures:
    route_id: int
    label: str
    stage_models: dict[str, str]
    units: int
    failed: int
    latency: Percentiles | None
    error_rate: float | None
    json_validity_rate: float | None
    quality: float | None
    cost_per_recommendation: float | None
    stages: dict[str, StageFigures] = field(default_factory=dict)
    # Issue 11's figure: of the plans recommended, the share whose why the candidate wrote
    # (the others' were refused and replaced with the rules engine's, or the stage fell back).
    whys_by_candidate_rate: float | None = None

    @property
    def single_model(self) -> str | None:
        keys = set(self.stage_models.values())
        return next(iter(keys)) if len(keys) == 1 else None

    @property
    def bottleneck(self) -> str | None:
        """The stage with the highest median latency."""
        timed = [(s.latency.p50, name) for name, s in self.stages.items() if s.latency]
        return max(timed)[1] if timed else None

    def monthly_cost(self, requests_per_day: int) -> float | None:
        if self.cost_per_recommendation is None:
            return None
        return round(self.cost_per_recommendation * requests_per_day * DAYS_PER_MONTH, 2)

    def as_dict(self, requests_per_day: int = 10_000) -> dict:
        return {
            "route_id": self.route_id, "label": self.label, "stage_models": self.stage_models, "units": self.units,
            "failed": self.failed, "latency": self.latency and self.latency.as_dict(), "error_rate": self.error_rate,
            "json_validity_rate": self.json_validity_rate, "quality": self.quality,
            "cost_per_recommendation": self.cost_per_recommendation, "bottleneck": self.bottleneck,
            "whys_by_candidate_rate": self.whys_by_candidate_rate,
            "monthly_cost": {"requests_per_day": requests_per_day, "usd": self.monthly_cost(requests_per_day)},
            "stages": {name: s.as_dict() for name, s in self.stages.items()},
        }


def stage_latency_ms(record: dict) -> float:
    """What the stage took the model, and us to ask it and read the answer: the calls' own time
    (`upstream_ms`), not this deployment's bookkeeping around them (rows, breaker, admission,
    a client made for the unit's fresh event loop), which `total_ms` includes. A try with no
    answer (a timeout, a refused call) has no upstream time: its wall time counts."""
    if record.get("upstream_ms") is None:
        return record["total_ms"]
    return record["prompt_build_ms"] + record["upstream_ms"] + record["parse_ms"]


def stage_figures(stage: str, model_key: str, units: list[BenchmarkUnit]) -> StageFigures:
    records = [u.stages[stage] for u in units if stage in u.stages]
    sent = [r for r in records if r.get("kind") not in NEVER_SENT_KINDS]
    return StageFigures(
        stage=stage,
        model_key=model_key,
        latency=percentiles([stage_latency_ms(r) for r in sent]),
        ttft=percentiles([r["ttft_ms"] for r in records if r.get("ttft_ms") is not None]),
        tokens_per_s=median([r["tokens_per_s"] for r in records if r.get("tokens_per_s")]),
        valid_rate=rate(sum(1 for r in records if r.get("valid")), len(records)),
        cost_usd_mean=float(np.mean([r["cost_usd"] for r in records])) if records else None,
    )


def route_figures(run: BenchmarkRun) -> list[RouteFigures]:
    return runs_route_figures([run])[run.pk]


def runs_route_figures(runs: list[BenchmarkRun]) -> dict[int, list[RouteFigures]]:
    """Each run's figures per route, in its routes' order: two queries however many runs and routes."""
    ids = [run.pk for run in runs]
    measured: dict[int, list[BenchmarkUnit]] = {}
    for unit in BenchmarkUnit.objects.filter(run_id__in=ids, is_warmup=False, status__in=BenchmarkUnit.TERMINAL):
        measured.setdefault(unit.route_id, []).append(unit)
    figures: dict[int, list[RouteFigures]] = {run_id: [] for run_id in ids}
    for route in BenchmarkRoute.objects.filter(run_id__in=ids):
        figures[route.run_id].append(figures_of(route, measured.get(route.pk, [])))
    return figures


def unit_quality(unit: BenchmarkUnit) -> float:
    """The unit's automatic quality for the route asked; a unit that failed without output scores 0."""
    return (unit.quality_score or 0.0) if unit.status == BenchmarkUnit.Status.SUCCEEDED else 0.0


def figures_of(route: BenchmarkRoute, units: list[BenchmarkUnit]) -> RouteFigures:
    """A route's figures from its measured units that have ended."""
    ok = [u for u in units if u.status == BenchmarkUnit.Status.SUCCEEDED]
    # A stage whose answer was refused, or used with parts replaced (a why), is an error.
    rejected = sum(1 for u in ok if not all(s.get("served_by_candidate") and s.get("valid") for s in u.stages.values()))
    narratives = [u.stages["narrative"] for u in ok if "whys" in u.stages.get("narrative", {})]
    costs = [float(u.cost_usd) for u in ok if u.cost_usd is not None]
    return RouteFigures(
        route_id=route.pk, label=route.label, stage_models=route.stage_models, units=len(units),
        failed=len(units) - len(ok),
        # Only real pipeline runs: benchmarks bypass the response cache, so no sample is a cache hit.
        latency=percentiles([u.total_ms for u in ok if u.total_ms is not None]),
        error_rate=rate(len(units) - len(ok) + rejected, len(units)),
        json_validity_rate=rate(sum(1 for u in ok if u.json_valid), len(ok)),
        # Over every unit the route was asked to serve: one that failed without an output scores 0.
        quality=None if not units else round(float(np.mean([unit_quality(u) for u in units])), 4),
        cost_per_recommendation=None if not costs else float(np.mean(costs)),
        stages={stage: stage_figures(stage, route.stage_models[stage], ok) for stage in STAGES},
        whys_by_candidate_rate=rate(sum(n["whys_by_candidate"] for n in narratives), sum(n["whys"] for n in narratives)),
    )
