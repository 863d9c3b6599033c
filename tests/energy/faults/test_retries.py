"""Retries against the fault server: a transient failure is retried, a client error is not."""

import pytest

from energy.models import LLMCall
from tests.energy.api.payloads import STAGES
from tests.energy.faults.outcome import (
    REMOTE_KEY,
    assert_attempts,
    assert_calls,
    assert_records_complete,
    assert_served_by_rules,
    recommend,
)

# One failure that a second attempt does not meet, and how the failed attempt is recorded.
TRANSIENT = [("503", LLMCall.Status.FAILED), ("429-ms:100", LLMCall.Status.FAILED), ("reset", LLMCall.Status.FAILED),
             ("hang", LLMCall.Status.TIMEOUT), ("mid-stream-error", LLMCall.Status.INCOMPLETE)]


@pytest.mark.parametrize(("fault", "failed_status"), TRANSIENT, ids=[fault for fault, _ in TRANSIENT])
@pytest.mark.django_db(transaction=True)
async def test_it_serves_the_remote_answer_after_one_transient_failure(
    async_client, auth_headers, plans, fault_catalog, fault_server, fault, failed_status,
):
    fault_server.plan([fault], stage="usage_summary")  # then every request is answered correctly

    outcome = await recommend(async_client, auth_headers)

    assert outcome.response.status_code == 200
    assert outcome.answer["metadata"]["models"] == dict.fromkeys(STAGES, REMOTE_KEY)
    assert outcome.answer["metadata"]["fallbacks"] == []
    assert [(call.attempt, call.status) for call in outcome.stage_calls("usage_summary")] == [
        (1, failed_status), (2, LLMCall.Status.SUCCEEDED),
    ]
    assert {stage: len(fault_server.served(stage=stage)) for stage in STAGES} == {
        "usage_summary": 2, "plan_scoring": 1, "narrative": 1,
    }
    assert_records_complete(outcome, fault_server)


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
