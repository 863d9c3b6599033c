import pytest

from evaluation.models import Slot, SlotChange
from tests.evaluation.benchmark_pages.conftest import messages_of


@pytest.mark.django_db
def test_it_switches_the_slot_when_the_route_passes_the_gates(operator_client, finished_run):
    route = finished_run.routes.get(label="builtin/rules-b")

    response = operator_client.post(f"/admin/benchmarks/matrix/routes/{route.pk}/promote/",
                                    {"slot": "fast", "reason": "fastest and free", "requests_per_day": 500}, follow=True)

    assert response.redirect_chain == [(f"/admin/benchmarks/matrix/?run={finished_run.pk}&requests_per_day=500", 302)]
    assert Slot.objects.get(name="fast").model.key == "builtin/rules-b"
    change = SlotChange.objects.filter(to_model__key="builtin/rules-b").get()
    assert change.acting_user.username == "operator"
    assert change.reason.startswith(f"fastest and free\nPromoted from benchmark run {finished_run.pk}: p95 ")
    assert "overridden" not in change.reason
    assert messages_of(response) == ["fast: local/gemma-3-270m → builtin/rules-b."]
