"""How far a run has come: units in a terminal state out of all units (warm-ups included),
per status and per route, from one grouped query. The run page draws it and polls it as JSON;
the API, the management commands and the report read the same tally."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

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
    counts = BenchmarkUnit.objects.filter(run_id=run_id).order_by().values_list("status").annotate(Count("id"))
    return tally(Counter(dict(counts)))


def run_progress(run: BenchmarkRun) -> RunProgress:
    per_route: dict[int, Counter] = {}
    for row in run.units.values("route_id", "status").annotate(n=Count("id")).order_by():
        per_route.setdefault(row["route_id"], Counter())[row["status"]] += row["n"]
    routes = [RouteProgress(route_id=route.pk, label=route.label, tally=tally(per_route.get(route.pk, Counter())))
              for route in run.routes.all()]
    return RunProgress(run=run, tally=tally(sum(per_route.values(), Counter())), routes=routes)


def with_unit_counts(runs: QuerySet[BenchmarkRun]) -> QuerySet[BenchmarkRun]:
    """Lists of runs: each run's unit total and ended units, in the list's one query."""
    return runs.annotate(unit_total=Count("units", distinct=True),
                         unit_terminal=Count("units", filter=Q(units__status__in=ENDED), distinct=True))
