import pytest

from energy.models import LLMCall
from evaluation.models import RoutingPolicy, Slot
from tests.energy.faults.outcome import recommend


@pytest.fixture
def remote_only_catalog(fault_model) -> dict[str, Slot]:
    RoutingPolicy.objects.create(pk=1, degrade_to_rules=False)
    return {name: Slot.objects.create(name=name, model=fault_model) for name in ("fast", "accurate")}


@pytest.mark.django_db(transaction=True)
async def test_it_finishes_the_row_of_an_attempt_cut_short_because_the_request_failed(
    async_client, auth_headers, plans, remote_only_catalog, fault_server,
):
    fault_server.plan(["hang"], stage="plan_scoring")  # in flight when ...
    fault_server.plan(["400"], stage="usage_summary")  # ... the usage summary fails the request

    outcome = await recommend(async_client, auth_headers)

    assert outcome.response.status_code == 503
    rows = [(call.stage, call.status, call.error_class) async for call in LLMCall.objects.all()]
    assert len(rows) == fault_server.total
    assert all(status != LLMCall.Status.STARTED and error_class for _, status, error_class in rows), rows
