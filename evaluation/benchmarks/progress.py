"""How far a run has come: units in a terminal state out of all units (warm-ups included),
per status and per route, from one grouped query. The run page draws it and polls it as JSON."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from evaluation.models import BenchmarkRun, BenchmarkUnit

STATUSES = tuple(BenchmarkUnit.Status.values)


def percent(done: int, total: int) -> float:
    return 0.0 if total == 0 else round(100 * done / total, 1)


@dataclass(frozen=True)
class Tally:
    by_status: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def terminal(self) -> int:
        return sum(self.by_status[status] for status in BenchmarkUnit.TERMINAL)

    @property
    def percent(self) -> float:
        return percent(self.terminal, self.total)

    def as_dict(self) -> dict:
        return {"total": self.total, "terminal": self.terminal, "percent": self.percent, "statuses": self.by_status}


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


def tally(counts: Counter) -> Tally:
    return Tally(by_status={status: counts[status] for status in STATUSES})


def run_progress(run: BenchmarkRun) -> RunProgress:
    per_route: dict[int, Counter] = {}
    for row in run.units.values("route_id", "status").annotate(n=Count("id")).order_by():
        per_route.setdefault(row["route_id"], Counter())[row["status"]] += row["n"]
    routes = [RouteProgress(route_id=route.pk, label=route.label, tally=tally(per_route.get(route.pk, Counter())))
              for route in run.routes.all()]
    return RunProgress(run=run, tally=tally(sum(per_route.values(), Counter())), routes=routes)
