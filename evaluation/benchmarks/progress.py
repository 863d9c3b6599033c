"""How far a run has come: units in a terminal state out of all units (warm-ups included),
per status and per route, from one grouped query. The run page draws it and polls it as JSON;
the API, the management commands and the report read the same tally."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from evaluation.figures import Tally
from evaluation.models import BenchmarkRun, BenchmarkUnit

STATUSES = tuple(BenchmarkUnit.Status.values)
ENDED = frozenset(BenchmarkUnit.TERMINAL)


def tally(counts: Counter) -> Tally:
    return Tally(by_status={status: counts[status] for status in STATUSES}, ended_statuses=ENDED)


@dataclass(frozen=True)
class RouteProgress:
    route_id: int
    label: str
    tally: Tally


@dataclass(frozen=True)
class RunProgress:
    run: BenchmarkRun
    tally: Tally
    routes: list[RouteProgress]

    @property
    def finished(self) -> bool:
        return self.run.status == BenchmarkRun.Status.FINISHED

    def as_dict(self) -> dict:
        return {
            "run": self.run.pk, "status": self.run.status, "finished": self.finished, **self.tally.as_dict(),
            "routes": [{"route_id": r.route_id, "label": r.label, **r.tally.as_dict()} for r in self.routes],
        }


def run_tally(run_id: int) -> Tally:
    return run_tallies([run_id])[run_id]


def run_tallies(run_ids: list[int]) -> dict[int, Tally]:
    """Each run's tally, from one grouped query however many runs."""
    counts: dict[int, Counter] = {run_id: Counter() for run_id in run_ids}
    for run_id, status, n in (BenchmarkUnit.objects.filter(run_id__in=run_ids).order_by()
                              .values_list("run_id", "status").annotate(n=Count("*"))):
        counts[run_id][status] += n
    return {run_id: tally(counted) for run_id, counted in counts.items()}


def run_progress(run: BenchmarkRun) -> RunProgress:
    per_route: dict[int, Counter] = {}
    for row in run.units.values("route_id", "status").annotate(n=Count("id")).order_by():
        per_route.setdefault(row["route_id"], Counter())[row["status"]] += row["n"]
    routes = [RouteProgress(route_id=route.pk, label=route.label, tally=tally(per_route.get(route.pk, Counter())))
              for route in run.routes.all()]
    return RunProgress(run=run, tally=tally(sum(per_route.values(), Counter())), routes=routes)


def per_run_count(rows: QuerySet) -> Coalesce:
    """How many of `rows` (filtered on run=OuterRef("pk")) each run has, as a correlated subquery: a
    list counts the rows of the runs it shows (an index range each), where a join would aggregate
    every unit of every run before the list's LIMIT."""
    return Coalesce(Subquery(rows.order_by().values("run").annotate(n=Count("*")).values("n")), 0)


def with_unit_counts(runs: QuerySet[BenchmarkRun]) -> QuerySet[BenchmarkRun]:
    """Lists of runs: each run's unit total and ended units, in the list's one query."""
    units = BenchmarkUnit.objects.filter(run=OuterRef("pk"))
    return runs.annotate(unit_total=per_run_count(units), unit_terminal=per_run_count(units.filter(status__in=ENDED)))
