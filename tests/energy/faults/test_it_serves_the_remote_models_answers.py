import pytest

from energy.models import LLMCall
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
    assert all(r["why"].startswith(f"Ranked #{r['rank']}: ") for r in answer["data"]["recommendations"])
