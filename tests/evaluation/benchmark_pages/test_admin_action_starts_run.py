import re

import pytest
from django.contrib.admin import helpers

from evaluation.models import AIModel, BenchmarkRun

CHANGELIST_URL = "/admin/evaluation/aimodel/"


@pytest.mark.django_db
def test_it_leads_from_the_selected_models_to_a_run_form_that_starts_the_run(operator_client, suite, second_rules_model):
    selected = list(AIModel.objects.filter(key__in=["builtin/rules", second_rules_model.key]))

    action = operator_client.post(CHANGELIST_URL, {"action": "benchmark_selected",
                                                   helpers.ACTION_CHECKBOX_NAME: [m.pk for m in selected]})

    assert action.status_code == 302
    form_page = operator_client.get(action["Location"])
    html = form_page.content.decode()
    assert form_page.status_code == 200
    assert html.count('name="models"') > 2  # every enabled model is offered …
    ticked = re.findall(r'<input type="checkbox" name="models" value="([^"]+)"[^>]* checked>', html)
    assert sorted(ticked) == ["builtin/rules", second_rules_model.key]  # … and the selected ones are ticked
    assert '<option value="standard" selected>' in html

    started = operator_client.post("/admin/benchmarks/runs/new/", {
        "suite": "standard", "models": ["builtin/rules", second_rules_model.key], "repetitions": 1,
        "warmup_repetitions": 0, "concurrency": 1, "label": "rules vs rules",
    })

    run = BenchmarkRun.objects.get()
    assert started.status_code == 302
    assert started["Location"] == f"/admin/benchmarks/runs/{run.pk}/"
    assert (run.label, run.created_by.username) == ("rules vs rules", "operator")
    assert sorted(run.routes.values_list("label", flat=True)) == ["builtin/rules", second_rules_model.key]
    assert run.units.count() == 2 * suite.scenarios.count()
