from itertools import pairwise

import pytest

from energy.models import LLMCall
from tests.energy.api.payloads import STAGES
from tests.energy.faults.outcome import (
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
