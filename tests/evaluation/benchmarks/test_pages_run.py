"""The run pages: a run's page while it runs and once finished, its progress JSON, the run form (and
the admin action that leads to it), and the links to them."""


import pytest
from django.contrib.admin import helpers

from evaluation.models import AIModel, BenchmarkRun, BenchmarkSuite, BenchmarkUnit
from tests.evaluation.benchmarks.pages import finish, parse_html


@pytest.mark.django_db
def test_it_shows_route_and_stage_figures_with_n_and_the_failed_units(staff_client, queued_demo_run):
    failed = queued_demo_run.units.last()
    BenchmarkUnit.objects.filter(pk=failed.pk).update(status=BenchmarkUnit.Status.FAILED, error="TimeoutError: too slow")
    finish(queued_demo_run)

    response = staff_client.get(f"/admin/benchmarks/runs/{queued_demo_run.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Figures per route and per stage" in html
    assert '<span class="n">n=9</span>' in html
    assert '<span class="n">n=8</span>' in html  # the route that lost a unit
    assert "small n" in html  # p99 of 9 samples is flagged
    assert html.count("<strong>bottleneck</strong>") == 2
    assert "TimeoutError: too slow" in html
    assert "progress.json" not in html  # finished: nothing left to poll


@pytest.mark.django_db
def test_it_shows_the_progress_and_polls_for_more_until_the_run_finishes(staff_client, queued_demo_run):
    BenchmarkUnit.objects.filter(pk=queued_demo_run.units.first().pk).update(status=BenchmarkUnit.Status.SUCCEEDED)

    response = staff_client.get(f"/admin/benchmarks/runs/{queued_demo_run.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<progress id="run-progress" max="18" value="1">' in html
    assert '<td class="num" id="count-queued">17</td>' in html
    assert f'"/admin/benchmarks/runs/{queued_demo_run.pk}/progress.json"' in html
    assert "var interval = 2000;" in html
    assert "Figures per route" not in html
    scripts = [script.attrs.get("src") or "" for script in parse_html(html).find_all("script")]
    assert not [src for src in scripts if src.startswith(("http:", "https:", "//"))]  # inline only: no external script, no CDN


@pytest.mark.django_db
def test_it_counts_terminal_units_per_status_and_per_route(staff_client, queued_demo_run):
    url = f"/admin/benchmarks/runs/{queued_demo_run.pk}/progress.json"
    BenchmarkUnit.objects.filter(pk=queued_demo_run.units.first().pk).update(status=BenchmarkUnit.Status.FAILED)

    started = staff_client.get(url).json()
    finish(queued_demo_run)
    finished = staff_client.get(url).json()

    assert (started["total"], started["terminal"], started["percent"], started["finished"]) == (18, 1, 5.6, False)
    assert started["statuses"] == {"queued": 17, "running": 0, "succeeded": 0, "failed": 1}
    assert [(r["total"], r["terminal"]) for r in started["routes"]] == [(9, 1), (9, 0)]
    assert (finished["status"], finished["terminal"], finished["percent"], finished["finished"]) == ("finished", 18, 100.0, True)
    assert finished["statuses"] == {"queued": 0, "running": 0, "succeeded": 17, "failed": 1}
    assert [r["label"] for r in finished["routes"]] == ["builtin/rules", "test/rules-b"]


@pytest.mark.django_db
def test_it_adds_a_route_that_combines_models_per_stage(operator_client, standard_suite, demo_rules_b):
    operator_client.post("/admin/benchmarks/runs/new/", {
        "suite": "standard", "usage_summary": "builtin/rules", "plan_scoring": demo_rules_b.key,
        "narrative": "builtin/rules", "repetitions": 1, "warmup_repetitions": 0, "concurrency": 1,
    })

    route = BenchmarkRun.objects.get().routes.get()
    assert route.stage_models == {"usage_summary": "builtin/rules", "plan_scoring": demo_rules_b.key,
                                  "narrative": "builtin/rules"}


@pytest.mark.django_db
def test_it_refuses_an_incomplete_combination(operator_client, standard_suite, demo_rules_b):
    response = operator_client.post("/admin/benchmarks/runs/new/", {
        "suite": "standard", "usage_summary": "builtin/rules", "repetitions": 1, "warmup_repetitions": 0, "concurrency": 1,
    })

    assert response.status_code == 200
    assert "needs a model for each of the three stages" in response.content.decode()
    assert not BenchmarkRun.objects.exists()


@pytest.mark.django_db
def test_it_shows_why_start_benchmark_refused_as_a_form_error(operator_client, demo):
    BenchmarkSuite.objects.create(name="empty")

    response = operator_client.post("/admin/benchmarks/runs/new/", {
        "suite": "empty", "models": ["builtin/rules"], "repetitions": 1, "warmup_repetitions": 0, "concurrency": 1,
    })

    assert response.status_code == 200
    assert "suite empty has no scenarios" in response.content.decode()
    assert not BenchmarkRun.objects.exists()


@pytest.mark.django_db
def test_it_neither_offers_nor_accepts_a_run_from_product_staff(staff_client, standard_suite):
    rules = AIModel.objects.get(key="builtin/rules")

    changelist = staff_client.get("/admin/evaluation/aimodel/")
    staff_client.post("/admin/evaluation/aimodel/", {"action": "benchmark_selected", helpers.ACTION_CHECKBOX_NAME: [rules.pk]})
    form_page = staff_client.get("/admin/benchmarks/runs/new/")
    post = staff_client.post("/admin/benchmarks/runs/new/", {
        "suite": "standard", "models": ["builtin/rules"], "repetitions": 1, "warmup_repetitions": 0, "concurrency": 1,
    })

    assert changelist.status_code == 403  # raters do not open the catalog's models (docs/security.md)
    assert (form_page.status_code, post.status_code) == (403, 403)
    assert not BenchmarkRun.objects.exists()


CHANGELIST_URL = "/admin/evaluation/aimodel/"


@pytest.mark.django_db
def test_it_leads_from_the_selected_models_to_a_run_form_that_starts_the_run(operator_client, standard_suite, demo_rules_b):
    selected = list(AIModel.objects.filter(key__in=["builtin/rules", demo_rules_b.key]))

    action = operator_client.post(CHANGELIST_URL, {"action": "benchmark_selected",
                                                   helpers.ACTION_CHECKBOX_NAME: [m.pk for m in selected]})

    assert action.status_code == 302
    form_page = operator_client.get(action["Location"])
    html = form_page.content.decode()
    assert form_page.status_code == 200
    assert html.count('name="models"') > 2  # every enabled model is offered …
    ticked = [box.attrs["value"] for box in parse_html(html).find_all("input", type="checkbox", name="models")
              if "checked" in box.attrs]
    assert sorted(ticked) == ["builtin/rules", demo_rules_b.key]  # … and the selected ones are ticked
    assert '<option value="standard" selected>' in html

    started = operator_client.post("/admin/benchmarks/runs/new/", {
        "suite": "standard", "models": ["builtin/rules", demo_rules_b.key], "repetitions": 1,
        "warmup_repetitions": 0, "concurrency": 1, "label": "rules vs rules",
    })

    run = BenchmarkRun.objects.get()
    assert started.status_code == 302
    assert started["Location"] == f"/admin/benchmarks/runs/{run.pk}/"
    assert (run.label, run.created_by.username) == ("rules vs rules", "operator")
    assert sorted(run.routes.values_list("label", flat=True)) == ["builtin/rules", demo_rules_b.key]
    assert run.units.count() == 2 * standard_suite.scenarios.count()


@pytest.mark.django_db
def test_it_links_the_benchmark_pages_from_the_admin_index_and_the_run_admin(staff_client, finished_demo_run):
    index = staff_client.get("/admin/").content.decode()
    run_list = staff_client.get("/admin/evaluation/benchmarkrun/").content.decode()
    run_admin = staff_client.get(f"/admin/evaluation/benchmarkrun/{finished_demo_run.pk}/change/").content.decode()
    benchmarks = staff_client.get("/admin/benchmarks/").content.decode()

    assert 'href="/admin/benchmarks/"' in index
    assert f'href="/admin/benchmarks/runs/{finished_demo_run.pk}/"' in run_list
    assert f'href="/admin/benchmarks/runs/{finished_demo_run.pk}/"' in run_admin
    assert "18 / 18" in run_list
    assert f'<a href="/admin/benchmarks/runs/{finished_demo_run.pk}/">Run {finished_demo_run.pk}</a>' in benchmarks
    assert "New run" not in benchmarks  # staff may not start one
