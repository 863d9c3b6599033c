"""Call timeouts against the fault server: a provider that never answers, a stream that trickles too long."""

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

# Two stages run one after the other (scoring, then narrative), each waiting out every attempt;
# the rest is backoff and the request itself.
SLACK_S = 5.0


@pytest.mark.django_db(transaction=True)
async def test_it_gives_up_on_a_provider_that_never_answers_and_records_a_timeout(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.always("hang")  # reads the request, then says nothing for 30 s

    outcome = await recommend(async_client, auth_headers)

    assert_served_by_rules(outcome, reason="timeout")
    assert_attempts(fault_server, per_stage=attempt_budget())
    assert_calls(outcome, status=LLMCall.Status.TIMEOUT, error_class="timeout")
    assert_records_complete(outcome, fault_server)
    assert all(call.duration_ms >= READ_TIMEOUT_S * 1000 * 0.9 for call in outcome.calls)
    assert outcome.elapsed_s < 2 * attempt_budget() * READ_TIMEOUT_S + SLACK_S


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
