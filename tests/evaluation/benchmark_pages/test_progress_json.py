import pytest

from evaluation.models import BenchmarkUnit
from tests.evaluation.benchmark_pages.runs import finish


@pytest.mark.django_db
def test_it_counts_terminal_units_per_status_and_per_route(staff_client, queued_run):
    url = f"/admin/benchmarks/runs/{queued_run.pk}/progress.json"
    BenchmarkUnit.objects.filter(pk=queued_run.units.first().pk).update(status=BenchmarkUnit.Status.FAILED)

    started = staff_client.get(url).json()
    finish(queued_run)
    finished = staff_client.get(url).json()

    assert (started["total"], started["terminal"], started["percent"], started["finished"]) == (18, 1, 5.6, False)
    assert started["statuses"] == {"queued": 17, "running": 0, "succeeded": 0, "failed": 1}
    assert [(r["total"], r["terminal"]) for r in started["routes"]] == [(9, 1), (9, 0)]
    assert (finished["status"], finished["terminal"], finished["percent"], finished["finished"]) == ("finished", 18, 100.0, True)
    assert finished["statuses"] == {"queued": 0, "running": 0, "succeeded": 17, "failed": 1}
    assert [r["label"] for r in finished["routes"]] == ["builtin/rules", "builtin/rules-b"]
