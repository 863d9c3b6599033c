import asyncio

import pytest

from energy.models import LLMCall, Recommendation
from evaluation.models import RoutingPolicy, Slot
from tests.energy.api.payloads import STAGES
from tests.energy.faults.conftest import READ_TIMEOUT_S
from tests.energy.faults.outcome import attempt_budget, recommend


@pytest.fixture
def remote_only_catalog(fault_model) -> dict[str, Slot]:
    """Both slots on the fault server and no degrading to the rules engine: nothing healthy is left."""
    RoutingPolicy.objects.create(pk=1, degrade_to_rules=False)
    return {name: Slot.objects.create(name=name, model=fault_model) for name in ("fast", "accurate")}


@pytest.mark.django_db(transaction=True)
async def test_it_answers_a_problem_with_retry_after_and_records_the_failure_when_no_model_is_left(
    async_client, auth_headers, plans, remote_only_catalog, fault_server,
):
    fault_server.always("503")

    outcome = await recommend(async_client, auth_headers)
    # A stage beside the failed one may still be retrying (test_it_stops_calling_once_the_request_failed).
    await asyncio.sleep(2 * READ_TIMEOUT_S)

    assert outcome.response.status_code == 503
    assert outcome.response["Content-Type"] == "application/problem+json"
    assert int(outcome.response["Retry-After"]) > 0
    problem = outcome.response.json()
    assert problem["status"] == 503
    assert problem["errors"], problem
    assert outcome.recommendations[0].status == Recommendation.Status.FAILED
    for stage in STAGES:
        assert len(fault_server.served(stage=stage)) <= attempt_budget()
    calls = [c async for c in LLMCall.objects.filter(recommendation=outcome.recommendations[0])]
    assert len(calls) == fault_server.total
    assert all(call.status == LLMCall.Status.FAILED and call.error_class == "http_error" for call in calls), [
        (c.stage, c.status, c.error_class) for c in calls]
    assert all(call.finished_at is not None for call in calls)
