import pytest

from tests.energy.api.payloads import USAGE
from tests.energy.faults.conftest import READ_TIMEOUT_S
from tests.energy.faults.outcome import assert_served_by_rules, recommend

# As with the defaults (8 s calls, 20 s deadline): two timed-out attempts and their backoff (under
# 0.75 s) always fit, and the third attempt always starts and is cut by the request deadline.
DEADLINE_S = 2.9 * READ_TIMEOUT_S


def usage(number: int) -> list[int]:
    return [kwh + number for kwh in USAGE]


@pytest.mark.django_db(transaction=True)
async def test_it_stops_calling_a_model_that_hangs_on_every_call(
    async_client, auth_headers, plans, fault_catalog, fault_server, settings,
):
    settings.REQUEST_DEADLINE_S = DEADLINE_S
    fault_server.always("hang")
    for number in range(3):  # two stages a request time out: six calls, over the breaker's minimum of five
        await recommend(async_client, auth_headers, monthly_usage_kwh=usage(number))

    fault_server.reset_counts()
    after = await recommend(async_client, auth_headers, monthly_usage_kwh=usage(3))

    assert_served_by_rules(after, reason="circuit_open", narrative_reason="circuit_open")
    assert fault_server.total == 0
