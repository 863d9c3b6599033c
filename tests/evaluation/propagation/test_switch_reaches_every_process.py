import time

import httpx
import pytest

from evaluation.models import Slot
from evaluation.slots.actions import switch_slot
from tests.energy.api.payloads import recommendation_body

# DESIGN.md: a switch is visible in every process within one second of its commit.
PROPAGATION_S = 1.0


def narrative_model(server, auth_headers) -> str:
    response = httpx.post(f"{server.base_url}/api/v1/recommendations", json=recommendation_body(mode="fast"),
                          headers=auth_headers, timeout=30)
    assert response.status_code == 200, f"{response.text}\n{server.log()}"
    return response.json()["metadata"]["models"]["narrative"]


@pytest.mark.cluster
@pytest.mark.django_db(transaction=True)
def test_it_serves_the_new_model_from_every_server_process_a_second_after_a_switch(
    plans, auth_headers, rules_model, rules_a, rules_b, two_servers,
):
    Slot.objects.create(name="fast", model=rules_a)
    Slot.objects.create(name="accurate", model=rules_model)
    assert [narrative_model(server, auth_headers) for server in two_servers] == ["test/rules-a", "test/rules-a"]

    switch_slot("fast", rules_b, acting_user=None, reason="propagation test")
    time.sleep(PROPAGATION_S)

    assert [narrative_model(server, auth_headers) for server in two_servers] == ["test/rules-b", "test/rules-b"]
