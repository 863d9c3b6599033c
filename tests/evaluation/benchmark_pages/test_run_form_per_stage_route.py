import pytest

from evaluation.models import BenchmarkRun


@pytest.mark.django_db
def test_it_adds_a_route_that_combines_models_per_stage(operator_client, suite, second_rules_model):
    operator_client.post("/admin/benchmarks/runs/new/", {
        "suite": "standard", "usage_summary": "builtin/rules", "plan_scoring": second_rules_model.key,
        "narrative": "builtin/rules", "repetitions": 1, "warmup_repetitions": 0, "concurrency": 1,
    })

    route = BenchmarkRun.objects.get().routes.get()
    assert route.stage_models == {"usage_summary": "builtin/rules", "plan_scoring": second_rules_model.key,
                                  "narrative": "builtin/rules"}


@pytest.mark.django_db
def test_it_refuses_an_incomplete_combination(operator_client, suite, second_rules_model):
    response = operator_client.post("/admin/benchmarks/runs/new/", {
        "suite": "standard", "usage_summary": "builtin/rules", "repetitions": 1, "warmup_repetitions": 0, "concurrency": 1,
    })

    assert response.status_code == 200
    assert "needs a model for each of the three stages" in response.content.decode()
    assert not BenchmarkRun.objects.exists()
