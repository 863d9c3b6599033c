"""A 4xx other than 408, 409 and 429 is never retried, whatever else it says."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from energy.llm.base import ProviderHTTPError
from energy.llm.retry import RetryPolicy
from tests.energy.resilience.faults import Fault
from tests.energy.resilience.scripted import PROPERTY_SETTINGS, call_once
from tests.energy.resilience.strategies import client_error_statuses, jitters, policies, retry_after_s, scripts


@settings(max_examples=300)
@given(policy=policies, status=client_error_statuses, asked=retry_after_s, code=st.sampled_from([None, 3040, 1000]),
       attempt=st.integers(min_value=1, max_value=10), jitter=jitters)
def test_the_rule_never_retries_them(policy, status, asked, code, attempt, jitter):
    exc = ProviderHTTPError(status, "client error", retry_after_s=asked, code=code)

    # Cloudflare's capacity error is the one exception, whatever status it comes with.
    assert (policy.wait_before_retry(exc, attempt, jitter) is None) or code == 3040


@pytest.mark.django_db
@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)
@settings(**PROPERTY_SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=client_error_statuses, asked=retry_after_s, rest=scripts)
def test_a_call_makes_one_attempt(scripted_server, status, asked, rest):
    result = call_once(scripted_server, [Fault("status", status, asked), *rest], RetryPolicy(max_attempts=5))

    assert (result.requests, result.sleeps, result.attempts) == (1, [], [1])
