import pytest

from energy.models import LLMCall
from tests.energy.faults.outcome import (
    assert_attempts,
    assert_calls,
    assert_records_complete,
    assert_served_by_rules,
    recommend,
)

# Far less than the day the provider asks for, and than one retry cap plus a request.
PROMPT_S = 3.0


@pytest.mark.django_db(transaction=True)
async def test_it_falls_back_instead_of_sleeping_when_retry_after_is_past_the_cap(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.always("429-huge")  # Retry-After: 86400

    outcome = await recommend(async_client, auth_headers)

    assert_served_by_rules(outcome, reason="http_error")
    assert_attempts(fault_server, per_stage=1)
    assert_calls(outcome, status=LLMCall.Status.FAILED, error_class="http_error")
    assert_records_complete(outcome, fault_server)
    assert outcome.elapsed_s < PROMPT_S
