import pytest


@pytest.mark.django_db
def test_it_links_the_benchmark_pages_from_the_admin_index_and_the_run_admin(staff_client, finished_run):
    index = staff_client.get("/admin/").content.decode()
    run_list = staff_client.get("/admin/evaluation/benchmarkrun/").content.decode()
    run_admin = staff_client.get(f"/admin/evaluation/benchmarkrun/{finished_run.pk}/change/").content.decode()
    benchmarks = staff_client.get("/admin/benchmarks/").content.decode()

    assert 'href="/admin/benchmarks/"' in index
    assert f'href="/admin/benchmarks/runs/{finished_run.pk}/"' in run_list
    assert f'href="/admin/benchmarks/runs/{finished_run.pk}/"' in run_admin
    assert "18 / 18" in run_list
    assert f'<a href="/admin/benchmarks/runs/{finished_run.pk}/">Run {finished_run.pk}</a>' in benchmarks
    assert "New run" not in benchmarks  # staff may not start one
