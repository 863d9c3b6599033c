"""A Retry-After beyond LLM_RETRY_AFTER_CAP_S means no sleep at all: the call fails at once so
that the stage falls back."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from energy.llm.retry import RetryPolicy
from tests.energy.resilience.faults import RETRYABLE_STATUSES, Fault
from tests.energy.resilience.scripted import PROPERTY_SETTINGS, call_once
from tests.energy.resilience.strategies import scripts

CAP_S = 10.0


@pytest.mark.django_db
@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)
@settings(**PROPERTY_SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from(RETRYABLE_STATUSES), asked=st.floats(min_value=CAP_S, max_value=1e9, exclude_min=True),
       rest=scripts)
def test_it_is_never_slept_on(scripted_server, status, asked, rest):
    policy = RetryPolicy(max_attempts=5, retry_after_cap_s=CAP_S)

    result = call_once(scripted_server, [Fault("status", status, asked), *rest], policy)

    assert (result.succeeded, result.requests, result.sleeps) == (False, 1, [])
