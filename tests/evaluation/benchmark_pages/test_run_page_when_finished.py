import pytest

from evaluation.models import BenchmarkUnit
from tests.evaluation.benchmark_pages.runs import finish


@pytest.mark.django_db
def test_it_shows_route_and_stage_figures_with_n_and_the_failed_units(staff_client, queued_run):
    failed = queued_run.units.last()
    BenchmarkUnit.objects.filter(pk=failed.pk).update(status=BenchmarkUnit.Status.FAILED, error="TimeoutError: too slow")
    finish(queued_run)

    response = staff_client.get(f"/admin/benchmarks/runs/{queued_run.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Figures per route and per stage" in html
    assert '<span class="n">n=9</span>' in html
    assert '<span class="n">n=8</span>' in html  # the route that lost a unit
    assert "small n" in html  # p99 of 9 samples is flagged
    assert html.count("<strong>bottleneck</strong>") == 2
    assert "TimeoutError: too slow" in html
    assert "progress.json" not in html  # finished: nothing left to poll
