"""Rate limits and Retry-After from the fault server: fall back rather than sleep past the cap, pause the
provider, respect an announced window."""

from itertools import pairwise

import pytest

from energy.models import LLMCall
from tests.energy.api.payloads import STAGES, USAGE
from tests.energy.faults.outcome import (
    REMOTE_KEY,
    RULES_KEY,
    assert_attempts,
    assert_calls,
    assert_records_complete,
    assert_served_by_rules,
    attempt_budget,
    recommend,
)

# The fault, and the least time a client that honours its Retry-After waits before the next attempt.
# An HTTP-date has whole seconds, so "2 s ahead" may be read as a little over 1 s ahead.
RATE_LIMITS = [("429-seconds:1", 1.0), ("429-date:2", 1.0), ("429-ms:300", 0.3), ("429-malformed", 0.0)]
CLOCK_SLACK = 0.9


@pytest.mark.parametrize(("fault", "least_wait_s"), RATE_LIMITS, ids=[fault for fault, _ in RATE_LIMITS])
@pytest.mark.django_db(transaction=True)
async def test_it_serves_from_the_rules_engine_when_the_provider_keeps_rate_limiting(
    async_client, auth_headers, plans, fault_catalog, fault_server, fault, least_wait_s,
):
    fault_server.always(fault)

    outcome = await recommend(async_client, auth_headers)

    assert_served_by_rules(outcome, reason="http_error")
    assert_attempts(fault_server, per_stage=attempt_budget())
    assert_calls(outcome, status=LLMCall.Status.FAILED, error_class="http_error")
    assert all("HTTP 429" in call.error_message for call in outcome.calls)
    assert_records_complete(outcome, fault_server)
    # A retry (if the product retries) comes no sooner than the provider asked.
    for stage in STAGES:
        arrivals = [served.at for served in fault_server.served(stage=stage)]
        assert all(later - earlier >= least_wait_s * CLOCK_SLACK for earlier, later in pairwise(arrivals)), (stage, arrivals)


# Far less than the day the provider asks for, and than one retry cap plus a request.
PROMPT_S = 3.0


@pytest.mark.django_db(transaction=True)
async def test_it_falls_back_instead_of_sleeping_when_retry_after_is_past_the_cap(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.always("429-huge")  # Retry-After: 86400

    outcome = await recommend(async_client, auth_headers)

    assert_served_by_rules(outcome, reason="http_error")
    assert_attempts(fault_server, per_stage=1)
    assert_calls(outcome, status=LLMCall.Status.FAILED, error_class="http_error")
    assert_records_complete(outcome, fault_server)
    assert outcome.elapsed_s < PROMPT_S


@pytest.mark.django_db(transaction=True)
async def test_it_falls_back_without_calling_a_provider_that_asked_for_a_day(
    async_client, auth_headers, plans, fault_catalog, fault_server,
):
    fault_server.always("429-huge")  # Retry-After: 86400
    await recommend(async_client, auth_headers)

    fault_server.reset_counts()
    second = await recommend(async_client, auth_headers, monthly_usage_kwh=[kwh + 1 for kwh in USAGE])

    assert_served_by_rules(second, reason="provider_exhausted", narrative_reason="provider_exhausted")
    assert fault_server.total == 0
    assert_records_complete(second, fault_server)
    assert second.answer["metadata"]["errors"][0]["kind"] == "provider_exhausted"
    assert "takes no calls for another" in second.recommendations[0].errors[0]["message"]  # for the operators


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
