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
async def test_it_records_a_stream_that_drops_after_the_first_token_as_incomplete_and_falls_back(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.always("mid-stream-error")  # half the chunks, then the connection drops

    outcome = await recommend(async_client, auth_headers)

    assert_served_by_rules(outcome, reason="stream_incomplete")
    assert_attempts(fault_server, per_stage=attempt_budget())
    assert_calls(outcome, status=LLMCall.Status.INCOMPLETE, error_class="stream_incomplete")
    assert all(call.ttft_ms is not None for call in outcome.calls)
    assert_records_complete(outcome, fault_server)
