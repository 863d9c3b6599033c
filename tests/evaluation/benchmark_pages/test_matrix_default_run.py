import pytest

from evaluation.models import BenchmarkRun
from tests.evaluation.benchmark_pages.runs import queue_run


@pytest.mark.django_db
def test_it_opens_on_the_latest_finished_run(staff_client, finished_run, suite):
    queue_run(suite)  # newer, but not finished
    assert BenchmarkRun.objects.count() == 2

    response = staff_client.get("/admin/benchmarks/matrix/?requests_per_day=500")

    assert response.status_code == 302
    assert response["Location"] == f"/admin/benchmarks/matrix/?run={finished_run.pk}&requests_per_day=500"
