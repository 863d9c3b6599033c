"""Runs built by the real engine: two rules-engine routes (no network), one repetition of every
scenario, no warm-up; the driver runs in the test's own process."""

from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import BenchmarkRun, BenchmarkSuite

SECOND_RULES_KEY = "builtin/rules-b"


def queue_run(suite: BenchmarkSuite) -> BenchmarkRun:
    return start_benchmark(suite, ["builtin/rules", SECOND_RULES_KEY], acting_user=None, repetitions=1,
                           warmup_repetitions=0)


def finish(run: BenchmarkRun) -> BenchmarkRun:
    execution.drive(run.pk)
    run.refresh_from_db()
    return run
