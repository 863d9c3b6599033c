import pytest

from evaluation.models import Slot, SlotChange
from tests.evaluation.benchmark_pages.conftest import messages_of


@pytest.mark.django_db
def test_it_refuses_a_route_that_fails_a_gate_unless_overridden(operator_client, finished_run, settings):
    settings.BENCHMARK_GATE_P95_MS = 0  # every real latency fails it
    route = finished_run.routes.get(label="builtin/rules-b")

    response = operator_client.post(f"/admin/benchmarks/matrix/routes/{route.pk}/promote/",
                                    {"slot": "fast", "reason": "looks fine"}, follow=True)

    assert Slot.objects.get(name="fast").model.key == "local/gemma-3-270m"
    assert not SlotChange.objects.filter(to_model__key="builtin/rules-b").exists()
    [message] = messages_of(response)
    assert message.startswith("Promotion refused: builtin/rules-b fails the gates (p95 ")
    assert "> 0 ms" in message
