import pytest

from evaluation.models import Slot, SlotChange


@pytest.mark.django_db
def test_it_promotes_despite_failed_gates_with_override_and_reason_and_audits_both(operator_client, finished_run, settings):
    settings.BENCHMARK_GATE_QUALITY = 1.01  # nothing reaches it
    route = finished_run.routes.get(label="builtin/rules-b")

    operator_client.post(f"/admin/benchmarks/matrix/routes/{route.pk}/promote/",
                         {"slot": "fast", "reason": "deterministic baseline while gemma is tuned", "override_gates": "on"})

    assert Slot.objects.get(name="fast").model.key == "builtin/rules-b"
    reason = SlotChange.objects.get(to_model__key="builtin/rules-b").reason
    assert reason.startswith("deterministic baseline while gemma is tuned\n")
    assert reason.endswith("Gates overridden: quality 1.000 < 1.01.")


@pytest.mark.django_db
def test_it_still_needs_a_reason_to_override(operator_client, finished_run, settings):
    settings.BENCHMARK_GATE_QUALITY = 1.01
    route = finished_run.routes.get(label="builtin/rules-b")

    operator_client.post(f"/admin/benchmarks/matrix/routes/{route.pk}/promote/",
                         {"slot": "fast", "reason": "  ", "override_gates": "on"})

    assert Slot.objects.get(name="fast").model.key == "local/gemma-3-270m"
