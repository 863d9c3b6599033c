import pytest

from tests.evaluation.benchmarks.pages import finish, queue_run


@pytest.mark.django_db
def test_it_puts_the_routes_of_several_runs_side_by_side_with_a_row_per_model(staff_client, finished_demo_run, standard_suite):
    second = finish(queue_run(standard_suite))

    response = staff_client.get(f"/admin/benchmarks/compare/?runs={finished_demo_run.pk},{second.pk}")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="/admin/benchmarks/runs/{finished_demo_run.pk}/">Run {finished_demo_run.pk}</a>' in html
    assert f'<a href="/admin/benchmarks/runs/{second.pk}/">Run {second.pk}</a>' in html
    assert html.count("<th>test/rules-b</th>") == 3  # the per-model row, then one route row per run
    assert html.count('<span class="n">in 2 runs</span>') == 2
    assert "18 <span" in html  # units of one model across both runs


@pytest.mark.django_db
def test_it_sends_back_to_the_run_list_without_runs(staff_client, demo):
    response = staff_client.get("/admin/benchmarks/compare/?runs=999")

    assert response.status_code == 302
    assert response["Location"] == "/admin/benchmarks/"
