import pytest

from energy.models import LLMCall
from tests.energy.faults.outcome import (
    assert_attempts,
    assert_calls,
    assert_records_complete,
    assert_served_by_rules,
    recommend,
)


@pytest.mark.django_db(transaction=True)
async def test_it_asks_once_per_stage_when_the_provider_answers_400(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.always("400")  # the same request would get the same answer

    outcome = await recommend(async_client, auth_headers)

    assert_served_by_rules(outcome, reason="http_error")
    assert_attempts(fault_server, per_stage=1)
    assert_calls(outcome, status=LLMCall.Status.FAILED, error_class="http_error")
    assert_records_complete(outcome, fault_server)
