"""Promotion from the matrix page: a route that passes the gates switches the slot; one that fails them
only with an override and a reason; never for product staff."""

import pytest

from evaluation.models import Slot, SlotChange
from tests.evaluation.benchmarks.pages import messages_of


@pytest.mark.django_db
def test_it_switches_the_slot_when_the_route_passes_the_gates(operator_client, finished_demo_run):
    route = finished_demo_run.routes.get(label="test/rules-b")

    response = operator_client.post(f"/admin/benchmarks/matrix/routes/{route.pk}/promote/",
                                    {"slot": "fast", "reason": "fastest and free", "requests_per_day": 500}, follow=True)

    assert response.redirect_chain == [(f"/admin/benchmarks/matrix/?run={finished_demo_run.pk}&requests_per_day=500", 302)]
    assert Slot.objects.get(name="fast").model.key == "test/rules-b"
    change = SlotChange.objects.filter(to_model__key="test/rules-b").get()
    assert change.acting_user.username == "operator"
    assert change.reason.startswith(f"fastest and free\nPromoted from benchmark run {finished_demo_run.pk}: p95 ")
    assert "overridden" not in change.reason
    assert messages_of(response) == ["fast: local/gemma-3-270m → test/rules-b."]


@pytest.mark.django_db
def test_it_refuses_a_route_that_fails_a_gate_unless_overridden(operator_client, finished_demo_run, settings):
    settings.BENCHMARK_GATE_P95_MS = 0  # every real latency fails it
    route = finished_demo_run.routes.get(label="test/rules-b")

    response = operator_client.post(f"/admin/benchmarks/matrix/routes/{route.pk}/promote/",
                                    {"slot": "fast", "reason": "looks fine"}, follow=True)

    assert Slot.objects.get(name="fast").model.key == "local/gemma-3-270m"
    assert not SlotChange.objects.filter(to_model__key="test/rules-b").exists()
    [message] = messages_of(response)
    assert message.startswith("Promotion refused: test/rules-b fails the gates (p95 ")
    assert "> 0 ms" in message


@pytest.mark.django_db
def test_it_promotes_despite_failed_gates_with_override_and_reason_and_audits_both(operator_client, finished_demo_run, settings):
    settings.BENCHMARK_GATE_QUALITY = 1.01  # nothing reaches it
    route = finished_demo_run.routes.get(label="test/rules-b")

    operator_client.post(f"/admin/benchmarks/matrix/routes/{route.pk}/promote/",
                         {"slot": "fast", "reason": "deterministic baseline while gemma is tuned", "override_gates": "on"})

    assert Slot.objects.get(name="fast").model.key == "test/rules-b"
    reason = SlotChange.objects.get(to_model__key="test/rules-b").reason
    assert reason.startswith("deterministic baseline while gemma is tuned\n")
    assert reason.endswith("Gates overridden: quality 1.000 < 1.01.")


@pytest.mark.django_db
def test_it_still_needs_a_reason_to_override(operator_client, finished_demo_run, settings):
    settings.BENCHMARK_GATE_QUALITY = 1.01
    route = finished_demo_run.routes.get(label="test/rules-b")

    operator_client.post(f"/admin/benchmarks/matrix/routes/{route.pk}/promote/",
                         {"slot": "fast", "reason": "  ", "override_gates": "on"})

    assert Slot.objects.get(name="fast").model.key == "local/gemma-3-270m"


@pytest.mark.django_db
def test_it_offers_no_promotion_to_product_staff_and_answers_403(staff_client, finished_demo_run):
    route = finished_demo_run.routes.get(label="test/rules-b")

    matrix = staff_client.get(f"/admin/benchmarks/matrix/?run={finished_demo_run.pk}")
    post = staff_client.post(f"/admin/benchmarks/matrix/routes/{route.pk}/promote/",
                             {"slot": "fast", "reason": "sneaky", "override_gates": "on"})

    assert matrix.status_code == 200
    assert "/promote/" not in matrix.content.decode()
    assert post.status_code == 403
    assert Slot.objects.get(name="fast").model.key == "local/gemma-3-270m"
    assert not SlotChange.objects.filter(to_model__key="test/rules-b").exists()
