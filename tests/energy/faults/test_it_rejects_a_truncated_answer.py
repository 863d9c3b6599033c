import pytest

from energy.models import LLMCall
from tests.energy.faults.outcome import assert_attempts, assert_records_complete, assert_served_by_rules, recommend


@pytest.mark.django_db(transaction=True)
async def test_it_serves_from_the_rules_engine_when_a_finished_stream_holds_half_a_json_answer(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.always("truncated-answer")  # a well-formed stream, [DONE] included

    outcome = await recommend(async_client, auth_headers)

    assert_served_by_rules(outcome, reason="invalid_json")
    assert_attempts(fault_server, per_stage=1)
    assert {error["kind"] for error in outcome.answer["metadata"]["errors"]} == {"invalid_json"}
    # The provider call itself succeeded; the answer was rejected by the stage's parser.
    assert {call.status for call in outcome.calls} == {LLMCall.Status.SUCCEEDED}
    assert_records_complete(outcome, fault_server)
