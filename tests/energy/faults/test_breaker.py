"""The circuit breaker against the fault server: it opens on failures, hangs and garbage, and closes after a
probe (a hanging probe times out)."""

import asyncio

import pytest

from energy.models import LLMCall
from tests.energy.api.payloads import STAGES, USAGE
from tests.energy.faults.conftest import READ_TIMEOUT_S
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


# As with the defaults (8 s calls, 20 s deadline): two timed-out attempts and their backoff (under
# 0.75 s) always fit, and the third attempt always starts and is cut by the request deadline.
DEADLINE_S = 2.9 * READ_TIMEOUT_S


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


# The default breaker opens at its minimum of 5 calls when half of them failed. A garbled body
# fails two stages a request (the narrative does not call a model that failed the request): three
# requests. A rejected answer does not keep the model from the next stage: three a request, two.


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


PROBE_TIMEOUT_S = 0.5  # under the provider's own call timeout, so the probe's bound is what stops it


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
