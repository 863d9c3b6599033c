import pytest

from energy.models import LLMCall
from tests.energy.faults.outcome import (
    assert_attempts,
    assert_calls,
    assert_records_complete,
    assert_served_by_rules,
    attempt_budget,
    recommend,
)


@pytest.mark.django_db(transaction=True)
async def test_it_serves_from_the_rules_engine_when_the_provider_resets_the_connection(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.always("reset")  # TCP RST instead of a response

    outcome = await recommend(async_client, auth_headers)

    assert_served_by_rules(outcome, reason="connection_error")
    assert_attempts(fault_server, per_stage=attempt_budget())
    assert_calls(outcome, status=LLMCall.Status.FAILED, error_class="connection_error")
    assert_records_complete(outcome, fault_server)
