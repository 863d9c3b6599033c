"""Several runs side by side: each run's routes, and per model (its single-model routes) the
figures it reached in each run, so a model's drift between runs shows on one row."""

from dataclasses import dataclass

from evaluation.benchmarks.aggregates import RouteFigures, runs_route_figures
from evaluation.models import BenchmarkRun


@dataclass(frozen=True)
class RunColumn:
    run: BenchmarkRun
    routes: list[RouteFigures]


@dataclass(frozen=True)
class ModelSummary:
    model_key: str
    per_run: list[RouteFigures | None]  # aligned with the comparison's runs; None: not measured there

    @property
    def units(self) -> int:
        return sum(figures.units for figures in self.per_run if figures)

    @property
    def runs_measured(self) -> int:
        return sum(1 for figures in self.per_run if figures)


@dataclass(frozen=True)
class Comparison:
    columns: list[RunColumn]
    models: list[ModelSummary]


def compare(runs: list[BenchmarkRun]) -> Comparison:
    figures = runs_route_figures(runs)
    columns = [RunColumn(run=run, routes=figures[run.pk]) for run in runs]
    by_run = [{f.single_model: f for f in column.routes if f.single_model} for column in columns]
    keys = sorted({key for measured in by_run for key in measured})
    return Comparison(columns=columns,
                      models=[ModelSummary(model_key=key, per_run=[measured.get(key) for measured in by_run]) for key in keys])
