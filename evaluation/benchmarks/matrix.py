"""The decision matrix of one run: per route and per stage, speed, quality, JSON validity,
errors and cost, with the monthly cost at a given traffic; the same projection for each tier,
from the run's figures of the models the tier assigns."""

from dataclasses import dataclass

from evaluation.benchmarks.aggregates import DAYS_PER_MONTH, RouteFigures, StageFigures, route_figures
from evaluation.benchmarks.chart import Chart, Datum, latency_quality_chart
from evaluation.benchmarks.gates import gate_failures, thresholds
from evaluation.models import BenchmarkRun, Tier
from evaluation.ratings.model_quality import ModelQuality, models_quality

DEFAULT_REQUESTS_PER_DAY = 10_000


def monthly_cost(cost_per_request: float | None, requests_per_day: int) -> float | None:
    """The same projection as RouteFigures.monthly_cost, for any per-request cost."""
    return None if cost_per_request is None else round(cost_per_request * requests_per_day * DAYS_PER_MONTH, 2)


@dataclass(frozen=True)
class StageRow:
    figures: StageFigures
    monthly_cost: float | None


@dataclass(frozen=True)
class MatrixRow:
    figures: RouteFigures
    monthly_cost: float | None
    gate_failures: list[str]
    stages: list[StageRow]
    # The catalog's quality figure (human ratings and automatic checks over every output the
    # model was asked to serve), beside this run's automatic quality; single-model routes only.
    catalog_quality: ModelQuality | None = None

    @property
    def promotable_model(self) -> str | None:
        """Only a route that is one model for every stage can be put into a slot."""
        return self.figures.single_model


@dataclass(frozen=True)
class TierSlot:
    slot_name: str
    model_key: str
    figures: RouteFigures | None  # None: the run did not measure this model on its own
    monthly_cost: float | None


@dataclass(frozen=True)
class TierRow:
    tier: Tier
    slots: list[TierSlot]


@dataclass(frozen=True)
class DecisionMatrix:
    run: BenchmarkRun
    requests_per_day: int
    rows: list[MatrixRow]
    tiers: list[TierRow]
    chart: Chart

    @property
    def unplotted(self) -> list[str]:
        """Routes without a median latency or a quality figure (every unit failed)."""
        return [row.figures.label for row in self.rows if not plottable(row.figures)]


def plottable(figures: RouteFigures) -> bool:
    return figures.latency is not None and figures.quality is not None


def matrix_row(figures: RouteFigures, requests_per_day: int, catalog: dict[str, ModelQuality]) -> MatrixRow:
    return MatrixRow(
        figures=figures, monthly_cost=figures.monthly_cost(requests_per_day), gate_failures=gate_failures(figures),
        catalog_quality=catalog.get(figures.single_model) if figures.single_model else None,
        stages=[StageRow(figures=stage, monthly_cost=monthly_cost(stage.cost_usd_mean, requests_per_day))
                for stage in figures.stages.values()],
    )


def tier_row(tier: Tier, by_model: dict[str, RouteFigures], requests_per_day: int) -> TierRow:
    slots = []
    for slot_name, model_key in tier.assignments.items():
        figures = by_model.get(model_key)
        slots.append(TierSlot(slot_name=slot_name, model_key=model_key, figures=figures,
                              monthly_cost=figures.monthly_cost(requests_per_day) if figures else None))
    return TierRow(tier=tier, slots=slots)


def chart_data(figures: list[RouteFigures]) -> list[Datum]:
    return [Datum(label=f.label, latency_ms=f.latency.p50, quality=f.quality, cost=f.cost_per_recommendation or 0.0)
            for f in figures if plottable(f)]


def decision_matrix(run: BenchmarkRun, requests_per_day: int = DEFAULT_REQUESTS_PER_DAY) -> DecisionMatrix:
    figures = route_figures(run)
    by_model = {f.single_model: f for f in figures if f.single_model}
    catalog = models_quality(by_model)  # every single-model route's catalog quality, in one go
    return DecisionMatrix(
        run=run, requests_per_day=requests_per_day,
        rows=[matrix_row(f, requests_per_day, catalog) for f in figures],
        tiers=[tier_row(tier, by_model, requests_per_day) for tier in Tier.objects.all()],
        chart=latency_quality_chart(chart_data(figures), quality_gate=thresholds().quality),
    )
