"""Whatever the provider does, a call makes at most LLM_MAX_ATTEMPTS upstream attempts (exactly
as many as the retry rules allow), each recorded as an LLMCall row numbered 1, 2, 3…"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from energy.llm.retry import RetryPolicy
from tests.energy.resilience.scripted import PROPERTY_SETTINGS, call_once, expected_attempts
from tests.energy.resilience.strategies import scripts


@pytest.mark.django_db
@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)
@settings(**PROPERTY_SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=scripts, max_attempts=st.integers(min_value=1, max_value=5))
def test_attempts_never_exceed_the_budget(scripted_server, script, max_attempts):
    policy = RetryPolicy(max_attempts=max_attempts)

    result = call_once(scripted_server, script, policy)

    assert result.requests <= max_attempts
    assert result.requests == expected_attempts(script, policy)
    assert result.attempts == list(range(1, result.requests + 1))
    assert len(result.sleeps) == result.requests - 1
