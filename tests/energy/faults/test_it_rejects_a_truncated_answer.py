import pytest

from energy.llm.base import STAGES
from energy.models import LLMCall
from tests.energy.faults.outcome import assert_records_complete, assert_served_by_rules, recommend


@pytest.mark.django_db(transaction=True)
async def test_it_serves_from_the_rules_engine_when_a_finished_stream_holds_half_a_json_answer(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.always("truncated-answer")  # a well-formed stream, [DONE] included

    outcome = await recommend(async_client, auth_headers)

    assert_served_by_rules(outcome, reason="invalid_json", narrative_reason="invalid_json")
    # The model answered, so it is asked again for the next stage: a rejected answer is about
    # one question, not the model's availability. It is not retried either.
    assert {stage: len(fault_server.served(stage=stage)) for stage in STAGES} == dict.fromkeys(STAGES, 1)
    assert {error["kind"] for error in outcome.answer["metadata"]["errors"]} == {"invalid_json"}
    # The provider call itself came back whole; the row says the stage's parser refused it, and why.
    assert {(call.status, call.error_class) for call in outcome.calls} == {(LLMCall.Status.REJECTED, "invalid_json")}
    assert all(call.error_message for call in outcome.calls)
    assert all(call.output_tokens for call in outcome.calls)
    assert_records_complete(outcome, fault_server)
