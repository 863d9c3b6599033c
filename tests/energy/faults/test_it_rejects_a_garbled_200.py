import pytest

from energy.models import LLMCall
from tests.energy.faults.outcome import (
    assert_attempts,
    assert_calls,
    assert_records_complete,
    assert_served_by_rules,
    recommend,
)

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
