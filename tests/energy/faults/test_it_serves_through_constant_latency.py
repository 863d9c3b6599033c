import pytest

from energy.models import LLMCall
from tests.energy.api.payloads import STAGES
from tests.energy.faults.outcome import REMOTE_KEY, assert_records_complete, recommend

LATENCY_S = 0.3


@pytest.mark.django_db(transaction=True)
async def test_it_serves_the_remote_answers_when_every_call_takes_longer(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.latency(LATENCY_S)

    outcome = await recommend(async_client, auth_headers)

    assert outcome.response.status_code == 200
    assert outcome.answer["metadata"]["models"] == dict.fromkeys(STAGES, REMOTE_KEY)
    assert fault_server.total == 3
    assert all(call.status == LLMCall.Status.SUCCEEDED and call.duration_ms >= LATENCY_S * 1000 for call in outcome.calls)
    # Scoring and narrative run one after the other, the usage summary beside them.
    assert outcome.elapsed_s >= 2 * LATENCY_S
    assert_records_complete(outcome, fault_server)
