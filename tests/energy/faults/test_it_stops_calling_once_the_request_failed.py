import asyncio

import pytest

from evaluation.models import RoutingPolicy, Slot
from tests.energy.faults.conftest import READ_TIMEOUT_S
from tests.energy.faults.outcome import recommend


@pytest.fixture
def remote_only_catalog(fault_model) -> dict[str, Slot]:
    RoutingPolicy.objects.create(pk=1, degrade_to_rules=False)
    return {name: Slot.objects.create(name=name, model=fault_model) for name in ("fast", "accurate")}


@pytest.mark.django_db(transaction=True)
async def test_it_makes_no_upstream_call_after_answering_that_the_recommendation_failed(
    async_client, auth_headers, plans, remote_only_catalog, fault_server,
):
    fault_server.plan(["400"], stage="usage_summary")  # fails at once: a 400 is not retried
    fault_server.always("503")  # scoring is retried, with backoff, meanwhile

    outcome = await recommend(async_client, auth_headers)
    upstream_at_answer = fault_server.total
    await asyncio.sleep(2 * READ_TIMEOUT_S)  # time for another attempt with backoff

    assert outcome.response.status_code == 503
    assert fault_server.total == upstream_at_answer, fault_server.served()

