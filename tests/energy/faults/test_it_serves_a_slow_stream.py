import pytest

from energy.models import LLMCall
from evaluation.models import Provider
from tests.energy.api.payloads import STAGES
from tests.energy.faults.outcome import REMOTE_KEY, assert_records_complete, recommend

CHUNK_GAP_S = 0.05  # twenty times under the read timeout between two chunks
CALL_TIMEOUT_S = 5.0  # the longest answer (the narrative, ~30 chunks) streams in ~1.5 s


@pytest.mark.django_db(transaction=True)
async def test_it_waits_for_a_stream_whose_chunks_come_slowly_but_steadily_within_the_call_timeout(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    await Provider.objects.filter(name="fault-server").aupdate(read_timeout_s=CALL_TIMEOUT_S)
    fault_server.always(f"slow-stream:{CHUNK_GAP_S}")

    outcome = await recommend(async_client, auth_headers)

    assert outcome.response.status_code == 200
    assert outcome.answer["metadata"]["models"] == dict.fromkeys(STAGES, REMOTE_KEY)
    assert outcome.answer["metadata"]["fallbacks"] == []
    assert fault_server.counts == {"slow-stream": 3}
    assert {call.status for call in outcome.calls} == {LLMCall.Status.SUCCEEDED}
    # Slow means slow: several chunks per answer, each after the gap.
    assert all(call.duration_ms > 3 * CHUNK_GAP_S * 1000 for call in outcome.calls)
    assert_records_complete(outcome, fault_server)
