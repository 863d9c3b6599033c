"""Answers the rules engine serves instead when the remote model fails: 5xx, a reset connection, a garbled
200, a truncated answer, a broken stream."""

import pytest

from energy.llm.base import STAGES
from energy.models import LLMCall
from tests.energy.faults.outcome import (
    assert_attempts,
    assert_calls,
    assert_records_complete,
    assert_served_by_rules,
    attempt_budget,
    recommend,
)


@pytest.mark.parametrize("status", ["500", "502", "503", "504"])
@pytest.mark.django_db(transaction=True)
async def test_it_serves_from_the_rules_engine_when_the_provider_keeps_failing_with_a_5xx(
    async_client, auth_headers, plans, fault_catalog, fault_server, status,
):
    fault_server.always(status)

    outcome = await recommend(async_client, auth_headers)

    assert_served_by_rules(outcome, reason="http_error")
    assert_attempts(fault_server, per_stage=attempt_budget())
    assert_calls(outcome, status=LLMCall.Status.FAILED, error_class="http_error")
    assert all(f"HTTP {status}" in call.error_message for call in outcome.calls)
    assert_records_complete(outcome, fault_server)


@pytest.mark.django_db(transaction=True)
async def test_it_serves_from_the_rules_engine_when_the_provider_resets_the_connection(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.always("reset")  # TCP RST instead of a response

    outcome = await recommend(async_client, auth_headers)

    assert_served_by_rules(outcome, reason="connection_error")
    assert_attempts(fault_server, per_stage=attempt_budget())
    assert_calls(outcome, status=LLMCall.Status.FAILED, error_class="connection_error")
    assert_records_complete(outcome, fault_server)


# A 200 whose body cannot be read as a stream of answers: retrying would not make it readable.
GARBLED = ["truncated-body", "invalid-json-line", "empty-choices"]


@pytest.mark.parametrize("fault", GARBLED)
@pytest.mark.django_db(transaction=True)
async def test_it_serves_from_the_rules_engine_when_the_provider_answers_200_with_garbage(
    async_client, auth_headers, plans, fault_catalog, fault_server, fault,
):
    fault_server.always(fault)

    outcome = await recommend(async_client, auth_headers)

    assert_served_by_rules(outcome, reason="bad_response")
    assert_attempts(fault_server, per_stage=1)
    assert_calls(outcome, status=LLMCall.Status.FAILED, error_class="bad_response")
    assert_records_complete(outcome, fault_server)


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


@pytest.mark.django_db(transaction=True)
async def test_it_records_a_stream_that_drops_after_the_first_token_as_incomplete_and_falls_back(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.always("mid-stream-error")  # half the chunks, then the connection drops

    outcome = await recommend(async_client, auth_headers)

    assert_served_by_rules(outcome, reason="stream_incomplete")
    assert_attempts(fault_server, per_stage=attempt_budget())
    assert_calls(outcome, status=LLMCall.Status.INCOMPLETE, error_class="stream_incomplete")
    assert all(call.ttft_ms is not None for call in outcome.calls)
    assert_records_complete(outcome, fault_server)
