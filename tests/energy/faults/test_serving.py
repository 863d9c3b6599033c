"""With nothing failing (or only slowly), every stage is served from the remote model behind the fault server."""

import pytest

from energy.models import LLMCall
from evaluation.models import Provider
from tests.energy.api.payloads import STAGES, assert_recommendation_shape
from tests.energy.faults.outcome import REMOTE_KEY, assert_records_complete, recommend


@pytest.mark.django_db(transaction=True)
async def test_it_serves_every_stage_from_the_fault_server_when_nothing_fails(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    outcome = await recommend(async_client, auth_headers)

    assert outcome.response.status_code == 200, outcome.response.content
    answer = outcome.answer
    assert_recommendation_shape(answer)
    # The fake's answers pass the product's own validation: no stage fell back.
    assert answer["metadata"]["models"] == dict.fromkeys(STAGES, REMOTE_KEY)
    assert answer["metadata"]["fallbacks"] == []
    assert answer["metadata"]["errors"] == []
    assert fault_server.counts == {"ok": 3}
    assert_records_complete(outcome, fault_server)
    assert {call.status for call in outcome.calls} == {LLMCall.Status.SUCCEEDED}
    assert all(r["why"].startswith(f"Ranked #{r['rank']}") for r in answer["data"]["recommendations"])


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
