import pytest

from tests.energy.api.payloads import USAGE
from tests.energy.faults.outcome import assert_records_complete, assert_served_by_rules, recommend


@pytest.mark.django_db(transaction=True)
async def test_the_next_request_falls_back_without_calling_a_provider_that_asked_for_a_day(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.always("429-huge")  # Retry-After: 86400
    await recommend(async_client, auth_headers)

    fault_server.reset_counts()
    second = await recommend(async_client, auth_headers, monthly_usage_kwh=[kwh + 1 for kwh in USAGE])

    assert_served_by_rules(second, reason="provider_exhausted", narrative_reason="provider_exhausted")
    assert fault_server.total == 0
    assert_records_complete(second, fault_server)
    assert "takes no calls for another" in second.answer["metadata"]["errors"][0]["message"]
