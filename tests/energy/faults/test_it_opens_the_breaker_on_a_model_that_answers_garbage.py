import pytest

from energy.models import LLMCall
from tests.energy.api.payloads import USAGE
from tests.energy.faults.outcome import assert_records_complete, assert_served_by_rules, recommend

# The default breaker opens at its minimum of 5 calls when half of them failed. A garbled body
# fails two stages a request (the narrative does not call a model that failed the request): three
# requests. A rejected answer does not keep the model from the next stage: three a request, two.


def usage(number: int) -> list[int]:
    return [kwh + number for kwh in USAGE]


@pytest.mark.parametrize(("fault", "status", "requests_to_open"), [("empty-choices", LLMCall.Status.FAILED, 3),
                                                                   ("truncated-answer", LLMCall.Status.REJECTED, 2)])
@pytest.mark.django_db(transaction=True)
async def test_it_stops_calling_a_model_whose_200s_are_garbage(
    async_client, auth_headers, plans, fault_catalog, fault_server, fault, status, requests_to_open,
):
    fault_server.always(fault)
    for number in range(requests_to_open):
        outcome = await recommend(async_client, auth_headers, monthly_usage_kwh=usage(number))
        assert {call.status for call in outcome.calls} == {status}, number

    fault_server.reset_counts()
    after = await recommend(async_client, auth_headers, monthly_usage_kwh=usage(requests_to_open))

    assert_served_by_rules(after, reason="circuit_open", narrative_reason="circuit_open")
    assert fault_server.total == 0
    assert_records_complete(after, fault_server)
