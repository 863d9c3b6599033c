import pytest

from energy.models import LLMCall
from tests.energy.faults.conftest import READ_TIMEOUT_S
from tests.energy.faults.outcome import (
    assert_attempts,
    assert_calls,
    assert_records_complete,
    assert_served_by_rules,
    attempt_budget,
    recommend,
)

# Every gap between two chunks is under the read timeout, so only a bound on the whole call stops it.
CHUNK_GAP_S = 0.3


@pytest.mark.django_db(transaction=True)
async def test_it_records_a_timeout_and_falls_back_when_a_trickling_stream_outlasts_the_call_timeout(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.always(f"slow-stream:{CHUNK_GAP_S}")

    outcome = await recommend(async_client, auth_headers)

    assert_served_by_rules(outcome, reason="timeout")
    assert_attempts(fault_server, per_stage=attempt_budget())
    assert_calls(outcome, status=LLMCall.Status.TIMEOUT, error_class="timeout")
    assert all(call.duration_ms < (READ_TIMEOUT_S + CHUNK_GAP_S) * 1000 for call in outcome.calls)
    assert_records_complete(outcome, fault_server)
