"""Retries never sleep past the request's deadline, and no attempt starts after it."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from energy.llm.retry import RetryPolicy
from tests.energy.resilience.scripted import PROPERTY_SETTINGS, call_once
from tests.energy.resilience.strategies import scripts


@pytest.mark.django_db
@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)
@settings(**PROPERTY_SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=scripts, deadline_s=st.floats(min_value=0.001, max_value=30))
def test_the_sleeps_end_before_the_deadline(scripted_server, script, deadline_s):
    result = call_once(scripted_server, script, RetryPolicy(max_attempts=5), deadline_s=deadline_s)

    assert sum(result.sleeps) < deadline_s
    assert result.requests == len(result.sleeps) + 1
