import asyncio

import pytest

from energy.models import LLMCall
from tests.energy.api.payloads import STAGES, USAGE
from tests.energy.faults.conftest import READ_TIMEOUT_S
from tests.energy.faults.outcome import REMOTE_KEY, assert_records_complete, assert_served_by_rules, recommend

OPEN_S = 1.0
PROBE_TIMEOUT_S = 0.5  # under the provider's own call timeout, so the probe's bound is what stops it


def usage(number: int) -> list[int]:
    return [kwh + number for kwh in USAGE]


@pytest.mark.django_db(transaction=True)
async def test_it_stops_a_hanging_probe_at_the_probe_timeout_and_reopens_so_a_later_probe_can_close_it(
    async_client, auth_headers, plans, fault_catalog, fault_server, settings,
):
    settings.BREAKER_OPEN_S = OPEN_S
    settings.BREAKER_PROBE_TIMEOUT_S = PROBE_TIMEOUT_S
    fault_server.always("500")
    for number in range(3):  # open
        await recommend(async_client, auth_headers, monthly_usage_kwh=usage(number))
    fault_server.fault_rate(0.0)
    fault_server.plan(["hang"])
    await asyncio.sleep(OPEN_S + 0.2)

    fault_server.reset_counts()
    probed = await recommend(async_client, auth_headers, monthly_usage_kwh=usage(10))

    assert_served_by_rules(probed, reason=None)
    assert sorted(f["reason"] for f in probed.answer["metadata"]["fallbacks"]) == ["circuit_open", "circuit_open", "timeout"]
    assert fault_server.counts == {"hang": 1}  # one probe, the other stages refused meanwhile
    [probe] = probed.calls
    assert probe.status == LLMCall.Status.TIMEOUT
    assert PROBE_TIMEOUT_S * 1000 * 0.9 <= probe.duration_ms < READ_TIMEOUT_S * 1000
    assert_records_complete(probed, fault_server)

    fault_server.reset_counts()
    reopened = await recommend(async_client, auth_headers, monthly_usage_kwh=usage(11))
    assert_served_by_rules(reopened, reason="circuit_open", narrative_reason="circuit_open")
    assert fault_server.total == 0

    await asyncio.sleep(OPEN_S + 0.2)
    await recommend(async_client, auth_headers, monthly_usage_kwh=usage(12))  # its probe succeeds
    closed = await recommend(async_client, auth_headers, monthly_usage_kwh=usage(13))
    assert closed.answer["metadata"]["models"] == dict.fromkeys(STAGES, REMOTE_KEY)
