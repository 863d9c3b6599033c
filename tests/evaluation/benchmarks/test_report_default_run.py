import pytest

from evaluation.benchmarks.actions import start_benchmark


@pytest.mark.django_db
def test_it_reports_the_latest_finished_run_by_default(finished_run, suite, export_report):
    start_benchmark(suite, ["test/rules-a"], acting_user=None, repetitions=1, warmup_repetitions=0, label="still queued")

    report = export_report()

    assert f"- **run**: {finished_run.pk} (two rules engines)" in report
