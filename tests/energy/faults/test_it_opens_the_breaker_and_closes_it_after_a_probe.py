import asyncio

import pytest

from tests.energy.api.payloads import STAGES, USAGE
from tests.energy.faults.outcome import REMOTE_KEY, RULES_KEY, assert_records_complete, assert_served_by_rules, recommend

OPEN_S = 1.0


def usage(number: int) -> list[int]:
    """Different figures per request: the response cache must not answer for the model."""
    return [kwh + number for kwh in USAGE]


@pytest.mark.django_db(transaction=True)
async def test_it_stops_calling_a_failing_model_then_lets_one_probe_through_and_closes_on_its_success(
    async_client, auth_headers, plans, fault_catalog, fault_server, settings,
):
    settings.BREAKER_OPEN_S = OPEN_S
    fault_server.always("500")
    # Every failed call counts once, after its retries, and a request calls the failed model for two
    # stages (not the narrative, which comes after it failed): three requests reach the minimum of five.
    for number in range(3):
        await recommend(async_client, auth_headers, monthly_usage_kwh=usage(number))

    fault_server.reset_counts()
    while_open = await recommend(async_client, auth_headers, monthly_usage_kwh=usage(3))

    assert_served_by_rules(while_open, reason="circuit_open", narrative_reason="circuit_open")
    assert fault_server.total == 0
    assert_records_complete(while_open, fault_server)

    fault_server.fault_rate(0.0)  # the model recovers
    await asyncio.sleep(OPEN_S + 0.2)
    half_open = await recommend(async_client, auth_headers, monthly_usage_kwh=usage(4))

    models = half_open.answer["metadata"]["models"]
    probed = [stage for stage in STAGES if models[stage] == REMOTE_KEY]
    assert probed, models  # the probe went through, succeeded, and closed the breaker
    assert all(f["reason"] == "circuit_open" for f in half_open.answer["metadata"]["fallbacks"])
    assert {models[stage] for stage in STAGES} <= {REMOTE_KEY, RULES_KEY}
    assert fault_server.total == len(probed)

    fault_server.reset_counts()
    closed = await recommend(async_client, auth_headers, monthly_usage_kwh=usage(5))

    assert closed.answer["metadata"]["models"] == dict.fromkeys(STAGES, REMOTE_KEY)
    assert fault_server.total == len(STAGES)
