"""Schemas of the benchmarks API: starting a run, its progress and its figures."""

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Discriminator, Field, StringConstraints, Tag

from energy.schemas import StrictSchema, integer


class StageRouteIn(StrictSchema):
    """A per-stage combination: the model (key or alias) that serves each stage."""

    usage_summary: str = Field(min_length=1)
    plan_scoring: str = Field(min_length=1)
    narrative: str = Field(min_length=1)


# Tagged, so that a validation error names the field (`routes[0].stages.plan_scoring`), not pydantic's union machinery.
RouteIn = Annotated[
    Annotated[str, Tag("model"), StringConstraints(min_length=1)] | Annotated[StageRouteIn, Tag("stages")],
    Discriminator(lambda value: "model" if isinstance(value, str) else "stages"),
]


class BenchmarkIn(StrictSchema):
    suite: str = Field(default="standard", min_length=1, description="Name of the benchmark suite")
    # The limits start_benchmark enforces for every entry point, said here too so the schema shows them.
    routes: list[RouteIn] = Field(
        min_length=1,
        description='What to measure: a model key or alias (it serves every stage), or {"usage_summary": …, '
                    '"plan_scoring": …, "narrative": …}',
    )
    repetitions: integer(ge=1, le=100) = Field(default=3, description="Per route and scenario")
    warmup_repetitions: integer(ge=0, le=10) = Field(default=1, description="Per route; run first and never aggregated")
    concurrency: integer(ge=1, le=16) = Field(default=1, description="Units in flight at once")
    label: str = Field(default="", max_length=200)

    def route_specs(self) -> list[str | dict[str, str]]:
        return [route if isinstance(route, str) else route.model_dump() for route in self.routes]


class BenchmarkAccepted(Schema):
    id: int
    status: str
    status_url: str
    units: int = Field(description="Units created, warm-up included")


class JudgeIn(StrictSchema):
    judge: str = Field(min_length=1, max_length=200, description="The catalog model (key or alias) that scores the "
                                                                 "run's outputs; not the rules engine")


class JudgingAccepted(Schema):
    id: int
    run: int
    judge: str = Field(description="The judge's canonical key")
    scores: int = Field(description="Outputs queued for the judge, one claimable unit each")


class BenchmarkFiguresIn(Schema):
    requests_per_day: int = Field(default=10_000, ge=0, le=100_000_000, description="Traffic for the monthly cost projection")


class BenchmarkListIn(Schema):
    limit: int = Field(default=20, ge=1, le=200)


class ProgressOut(Schema):
    total: int
    queued: int
    running: int
    succeeded: int
    failed: int
    terminal: int = Field(description="Succeeded + failed")
    percent: float = Field(description="Terminal units as a percentage of all units")


class BenchmarkRouteOut(Schema):
    id: int
    label: str
    stage_models: dict[str, str]


class PercentilesOut(Schema):
    p50: float
    p90: float
    p95: float
    p99: float
    n: int = Field(description="Samples behind the percentiles")
    p99_reliable: bool = Field(description="False under 100 samples: p99 is then close to the maximum")


class StageFiguresOut(Schema):
    stage: str
    model: str
    latency: PercentilesOut | None
    ttft: PercentilesOut | None
    tokens_per_s: float | None
    valid_rate: float | None
    cost_usd_mean: float | None


class MonthlyCostOut(Schema):
    requests_per_day: int
    usd: float | None


class RouteFiguresOut(Schema):
    route_id: int
    label: str
    stage_models: dict[str, str]
    units: int = Field(description="Measured units that ended (warm-up excluded)")
    failed: int
    latency: PercentilesOut | None = Field(description="End-to-end milliseconds of the successful units")
    error_rate: float | None = Field(description="Failed units and units with a stage answer rejected in whole or in "
                                                 "part (a why replaced), over units")
    json_validity_rate: float | None
    quality: float | None = Field(description="Mean automatic quality score, 0–1")
    cost_per_recommendation: float | None = Field(description="USD")
    bottleneck: str | None = Field(description="The stage with the highest median latency")
    monthly_cost: MonthlyCostOut
    stages: dict[str, StageFiguresOut]
    whys_by_candidate_rate: float | None = Field(
        description="Of the plans recommended by the successful units, the share whose why the candidate wrote "
                    "(the others were replaced with the rules engine's)",
    )


class BenchmarkRunOut(Schema):
    id: int
    suite: str
    label: str
    status: str
    repetitions: int
    warmup_repetitions: int
    concurrency: int
    created_by: str | None = Field(description="Username; null for the shell operator or a deleted user")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    routes: list[BenchmarkRouteOut]
    progress: ProgressOut


class JudgingOut(Schema):
    id: int
    judge: str = Field(description="The judge's canonical key")
    created_by: str | None = Field(description="Username; null for the shell operator or a deleted user")
    created_at: datetime
    scores: dict[str, int] = Field(description="The judge's scores of the run's outputs, by status "
                                               "(queued, running, done, failed)")
    finished: bool = Field(description="Every score is done or failed")


class BenchmarkRunDetailOut(BenchmarkRunOut):
    aggregates: list[RouteFiguresOut] | None = Field(
        description="Per route, from the measured units that have ended; null until the first one has",
    )
    judges: list[JudgingOut] = Field(description="The LLM judges started on the run, newest first, with their progress")
