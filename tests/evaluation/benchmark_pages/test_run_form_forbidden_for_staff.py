import pytest
from django.contrib.admin import helpers

from evaluation.models import AIModel, BenchmarkRun


@pytest.mark.django_db
def test_it_neither_offers_nor_accepts_a_run_from_product_staff(staff_client, suite):
    rules = AIModel.objects.get(key="builtin/rules")

    changelist = staff_client.get("/admin/evaluation/aimodel/")
    staff_client.post("/admin/evaluation/aimodel/", {"action": "benchmark_selected", helpers.ACTION_CHECKBOX_NAME: [rules.pk]})
    form_page = staff_client.get("/admin/benchmarks/runs/new/")
    post = staff_client.post("/admin/benchmarks/runs/new/", {
        "suite": "standard", "models": ["builtin/rules"], "repetitions": 1, "warmup_repetitions": 0, "concurrency": 1,
    })

    assert changelist.status_code == 200
    assert "benchmark_selected" not in changelist.content.decode()
    assert (form_page.status_code, post.status_code) == (403, 403)
    assert not BenchmarkRun.objects.exists()
