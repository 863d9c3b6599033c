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


@pytest.mark.parametrize("status", ["500", "502", "503", "504"])
@pytest.mark.django_db(transaction=True)
async def test_it_serves_from_the_rules_engine_when_the_provider_keeps_failing_with_a_5xx(
    async_client, auth_headers, plans, fault_catalog, fault_server, status,
):
    fault_server.always(status)

    outcome = await recommend(async_client, auth_headers)

    assert_served_by_rules(outcome, reason="http_error")
    assert_attempts(fault_server, per_stage=attempt_budget())
    assert_calls(outcome, status=LLMCall.Status.FAILED, error_class="http_error")
    assert all(f"HTTP {status}" in call.error_message for call in outcome.calls)
    assert_records_complete(outcome, fault_server)
