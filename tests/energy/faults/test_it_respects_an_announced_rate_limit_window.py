import pytest

from tests.energy.api.payloads import STAGES, USAGE
from tests.energy.faults.outcome import REMOTE_KEY, RULES_KEY, assert_records_complete, assert_served_by_rules, recommend

# Windows on either side of the longest wait a request accepts (LLM_RETRY_AFTER_CAP_S).
LONG_WINDOW_S = 600
SHORT_WINDOW_S = 1


@pytest.mark.django_db(transaction=True)
async def test_it_stops_calling_a_provider_that_says_no_requests_remain_for_longer_than_it_would_wait(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.plan([f"quota-exhausted:{LONG_WINDOW_S}"], stage="plan_scoring")
    first = await recommend(async_client, auth_headers)

    # Scoring's answer (good, with X-RateLimit-Remaining: 0) is served; the narrative after it is not sent.
    assert first.answer["metadata"]["models"]["plan_scoring"] == REMOTE_KEY
    assert first.answer["metadata"]["models"]["narrative"] == RULES_KEY
    assert fault_server.served(stage="narrative") == []

    fault_server.reset_counts()
    second = await recommend(async_client, auth_headers, monthly_usage_kwh=[kwh + 1 for kwh in USAGE])

    assert_served_by_rules(second, reason="provider_exhausted", narrative_reason="provider_exhausted")
    assert fault_server.total == 0
    assert_records_complete(second, fault_server)


@pytest.mark.django_db(transaction=True)
async def test_it_waits_out_a_short_rate_limit_window_and_then_calls(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.plan([f"quota-exhausted:{SHORT_WINDOW_S}"], stage="plan_scoring")

    outcome = await recommend(async_client, auth_headers)

    assert outcome.answer["metadata"]["models"] == dict.fromkeys(STAGES, REMOTE_KEY)
    scoring, narrative = fault_server.served(stage="plan_scoring")[0], fault_server.served(stage="narrative")[0]
    assert narrative.at - scoring.at >= SHORT_WINDOW_S * 0.9
    assert_records_complete(outcome, fault_server)
