"""django-q2 tasks: thin wrappers that take ids and call into the evaluation app."""

from django_q.tasks import async_task

from energy import shutdown
from evaluation.benchmarks import execution
from evaluation.models import BenchmarkRun
from evaluation.ratings import items, judging
from evaluation.ratings.actions import refresh_catalog_quality
from evaluation.slots import live_stats
from evaluation.slots.health import probe_slots as _probe_slots


def probe_slots() -> int:
    """Scheduled every minute by the migration evaluation.0003: probe every slot's models."""
    if shutdown.requested():  # the next minute's probe will do
        return 0
    return len(_probe_slots())


def drive_benchmark(run_id: int) -> int:
    done, remaining = execution.drive(run_id)
    if remaining:  # out of time budget, or the worker is stopping: a fresh task carries on
        async_task("evaluation.tasks.drive_benchmark", run_id)
    return done


def reap_benchmarks() -> dict:
    """Scheduled every minute: requeue or fail units whose lease expired, restart the drivers of
    runs nobody works on (e.g. after the cluster was killed), and close finished runs; then the same
    for the judges' scores (`judges`), which are held under the same lease."""
    requeued, failed = execution.reap_expired()
    restarted = execution.stalled_runs()
    for run_id in restarted:
        for _ in range(BenchmarkRun.objects.get(pk=run_id).concurrency):
            async_task("evaluation.tasks.drive_benchmark", run_id)
    for run_id in BenchmarkRun.objects.exclude(status=BenchmarkRun.Status.FINISHED).values_list("id", flat=True):
        execution.finish_if_done(run_id)
    return {"requeued": requeued, "failed": failed, "restarted": restarted, "judges": reap_judges()}


def drive_judging(judging_id: int) -> int:
    done, remaining = judging.drive(judging_id)
    if remaining:  # out of time budget, or the worker is stopping: a fresh task carries on
        async_task("evaluation.tasks.drive_judging", judging_id)
    return done


def reap_judges() -> dict:
    """Run with reap_benchmarks: requeue or fail judge scores whose lease expired, and restart the
    drivers of judgings nobody works on."""
    requeued, failed = judging.reap_expired()
    restarted = judging.stalled_judgings()
    for judging_id in restarted:
        async_task("evaluation.tasks.drive_judging", judging_id)
    return {"requeued": requeued, "failed": failed, "restarted": restarted}


def collect_rating_items() -> int:
    """Scheduled every minute by the migration evaluation.0012: copy the sampled live
    recommendations past the collection mark into rating items (a bounded batch per run; the
    next minute carries on), and refresh the catalog's quality figures (every run, not only when
    items were created: a migration or a deleted run also moves them)."""
    created = items.collect()
    refresh_catalog_quality()
    return created


def roll_up_live_figures() -> int:
    """Scheduled every minute by the migration evaluation.0014: roll up the closed 5-minute buckets of
    the switchboard's live figures."""
    return live_stats.roll_up()
