import time
from argparse import ArgumentTypeError

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from energy.llm.base import STAGES
from energy.problems import ClientError
from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.benchmarks.aggregates import route_figures
from evaluation.benchmarks.progress import run_tally
from evaluation.benchmarks.report import summary
from evaluation.figures import Tally
from evaluation.models import BenchmarkRun, BenchmarkSuite

POLL_S = 0.5
INLINE_SLICE_S = 0.5  # how long one inline drive() call may run before the bar is redrawn
QUIET_HINT_S = 30
BAR_WIDTH = 30


def stage_route(text: str) -> dict[str, str]:
    """`usage_summary=K,plan_scoring=K,narrative=K` → {stage: key}."""
    pairs = [part.partition("=") for part in text.split(",") if part.strip()]
    mapping = {stage.strip(): key.strip() for stage, sep, key in pairs if sep}
    if len(mapping) != len(pairs) or set(mapping) != set(STAGES) or not all(mapping.values()):
        raise ArgumentTypeError(f"{text!r}: a route names a model for each of {', '.join(STAGES)}, as STAGE=KEY,…")
    return mapping


class ProgressBar:
    """On a terminal one line, redrawn in place; elsewhere (a log, a pipe) one line per 10 %."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.tty = out.isatty()
        self.started = time.monotonic()
        self.shown = ""
        self.last_tenth = -1

    def show(self, progress: Tally) -> None:
        filled = round(BAR_WIDTH * progress.percent / 100)
        line = (f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {progress.terminal}/{progress.total} units "
                f"{progress.percent:5.1f} %  " + " · ".join(f"{status} {n}" for status, n in progress.by_status.items()))
        if self.tty:
            if line != self.shown:
                self.out.write(f"\r{line}  {time.monotonic() - self.started:.0f} s", ending="")
                self.out.flush()
        elif int(progress.percent // 10) > self.last_tenth:
            self.last_tenth = int(progress.percent // 10)
            self.out.write(line)
        self.shown = line

    def close(self) -> None:
        if self.tty:
            self.out.write("")


class Command(BaseCommand):
    help = (
        "Start a benchmark run (with the same checks as the admin and the API) and follow it with a progress bar "
        "while the task queue executes it; with --inline, execute its units in this process, one at a time "
        "(where no qcluster runs). Prints the per-route summary at the end. Without --user it acts as the shell operator."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--suite", default="standard", help="Benchmark suite name (default: standard)")
        # --model and --route share one list, so the routes keep the order they were given in.
        parser.add_argument("--model", dest="routes", action="append", default=[], metavar="KEY",
                            help="A model (key or alias) that serves every stage; repeat for more routes")
        parser.add_argument("--route", dest="routes", action="append", type=stage_route,
                            metavar="usage_summary=KEY,plan_scoring=KEY,narrative=KEY",
                            help="A per-stage combination; repeat for more routes")
        parser.add_argument("--repetitions", type=int, default=3, help="Per route and scenario (default: 3)")
        parser.add_argument("--warmup", type=int, default=1, help="Warm-up units per route, not aggregated (default: 1)")
        parser.add_argument("--concurrency", type=int, default=1, help="Units in flight at once in the cluster (default: 1)")
        parser.add_argument("--label", default="", help="A note stored with the run")
        parser.add_argument("--user", help="Act as this user, with their permissions")
        parser.add_argument("--inline", action="store_true", help="Execute the units in this process")

    def handle(self, *args, suite: str, routes: list, repetitions: int, warmup: int, concurrency: int, label: str,
               user: str | None, inline: bool, **options) -> None:
        if not routes:
            raise CommandError("give at least one --model or --route")
        found_suite = BenchmarkSuite.objects.filter(name=suite).first()
        if found_suite is None:
            names = ", ".join(BenchmarkSuite.objects.values_list("name", flat=True)) or "none; run seed_demo"
            raise CommandError(f"there is no benchmark suite named {suite!r} (suites: {names})")
        acting_user = self.find_user(user) if user else None
        try:
            run = start_benchmark(found_suite, routes, acting_user=acting_user, repetitions=repetitions,
                                  warmup_repetitions=warmup, concurrency=concurrency, label=label)
        except (PermissionDenied, ClientError) as exc:
            raise CommandError(str(exc)) from exc
        where = "in this process" if inline else "by the task queue (manage.py qcluster)"
        self.stdout.write(f"Benchmark run {run.pk}: {run_tally(run.pk).total} units on suite {suite}, executed {where}.")
        bar = ProgressBar(self.stdout)
        try:
            if inline:
                self.drive_here(run.pk, bar)
            else:
                self.follow(run.pk, bar)
        except KeyboardInterrupt:
            bar.close()
            raise CommandError(f"stopped following run {run.pk}: the task queue carries on with it (GET /api/v1/benchmarks/"
                               f"{run.pk}), and a unit left running here is requeued once its lease expires") from None
        bar.close()
        self.stdout.write("")
        self.stdout.write(summary(route_figures(BenchmarkRun.objects.get(pk=run.pk))))

    def drive_here(self, run_id: int, bar: ProgressBar) -> None:
        """Execute the run's units here until it is finished. Units another worker holds are waited
        for, and requeued here if their lease expires (no cluster runs the reaper on such a machine)."""
        while not finished(run_id):
            execution.reap_expired()
            _, remaining = execution.drive(run_id, budget_s=INLINE_SLICE_S)
            bar.show(run_tally(run_id))
            if not remaining and not finished(run_id):
                time.sleep(POLL_S)

    def follow(self, run_id: int, bar: ProgressBar) -> None:
        last_change, last_terminal, hinted = time.monotonic(), -1, False
        while True:
            progress = run_tally(run_id)
            bar.show(progress)
            if finished(run_id):
                return
            if progress.terminal != last_terminal:
                last_change, last_terminal = time.monotonic(), progress.terminal
            elif not hinted and time.monotonic() - last_change > QUIET_HINT_S:
                hinted = True
                self.stderr.write(f"\nNo unit has ended for {QUIET_HINT_S} s: is `manage.py qcluster` running? "
                                  "(--inline executes the units in this process)")
            time.sleep(POLL_S)

    def find_user(self, username: str):
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"there is no user {username!r}") from exc


def finished(run_id: int) -> bool:
    return BenchmarkRun.objects.filter(pk=run_id, status=BenchmarkRun.Status.FINISHED).exists()
