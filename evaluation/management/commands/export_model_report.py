import logging
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evaluation.benchmarks.progress import run_tally
from evaluation.benchmarks.report import build_report, latest_finished_run, machine_note
from evaluation.models import BenchmarkRun

DEFAULT_OUTPUT = "docs/ai-model-analysis.md"


class Command(BaseCommand):
    help = (
        "Write the model analysis (decision matrix, quality figures, bottlenecks, recommendation, the checks' "
        "defect set) of a finished benchmark run as "
        f"markdown, by default to {DEFAULT_OUTPUT}. The same run gives the same bytes."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--run", type=int, help="Benchmark run id (default: the latest finished run)")
        parser.add_argument("--requests-per-day", type=int, default=10_000,
                            help="Traffic for the monthly cost projection (default: 10000)")
        parser.add_argument("--output", default=DEFAULT_OUTPUT,
                            help=f"Where to write, relative to the project directory (default: {DEFAULT_OUTPUT})")

    def handle(self, *args, run: int | None, requests_per_day: int, output: str, **options) -> None:
        if requests_per_day < 0:
            raise CommandError("--requests-per-day cannot be negative")
        found = self.find_run(run)
        logging.getLogger("energy.perf").setLevel(logging.WARNING)  # the defect set runs the rules engine ~1,000 times
        path = Path(settings.BASE_DIR, output)  # an absolute --output stays as given
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(build_report(found, requests_per_day=requests_per_day, machine=machine_note()), encoding="utf-8")
        self.stdout.write(f"Wrote the analysis of benchmark run {found.pk} to {path}")

    def find_run(self, run_id: int | None) -> BenchmarkRun:
        if run_id is None:
            run = latest_finished_run()
            if run is None:
                raise CommandError("no benchmark run has finished yet; start one with `manage.py run_benchmark`")
            return run
        run = BenchmarkRun.objects.select_related("suite", "created_by").filter(pk=run_id).first()
        if run is None:
            raise CommandError(f"there is no benchmark run {run_id}")
        if run.status != BenchmarkRun.Status.FINISHED:
            progress = run_tally(run.pk)
            raise CommandError(f"benchmark run {run_id} is {run.status} ({progress.terminal}/{progress.total} units have "
                               "ended); export it once it has finished")
        return run
