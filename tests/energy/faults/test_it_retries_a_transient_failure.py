import pytest

from energy.models import LLMCall
from tests.energy.api.payloads import STAGES
from tests.energy.faults.outcome import REMOTE_KEY, assert_records_complete, recommend

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
