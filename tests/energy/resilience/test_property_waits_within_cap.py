"""A wait before a retry never exceeds its cap: LLM_RETRY_AFTER_CAP_S when the provider asked
for it, LLM_BACKOFF_CAP_S for backoff."""

import pytest
from hypothesis import HealthCheck, given, settings

from energy.llm.retry import RetryPolicy
from tests.energy.resilience.scripted import PROPERTY_SETTINGS, call_once
from tests.energy.resilience.strategies import jitters, policies, provider_errors, scripts

ATTEMPTS = 4
POLICY = RetryPolicy(max_attempts=ATTEMPTS, backoff_base_s=0.25, backoff_cap_s=1.0, retry_after_cap_s=10.0)


@settings(max_examples=500)
@given(policy=policies, exc=provider_errors, attempt=jitters.map(lambda j: 1 + int(j * 12)), jitter=jitters)
def test_the_rule_caps_every_wait(policy, exc, attempt, jitter):
    wait_s = policy.wait_before_retry(exc, attempt, jitter)

    if wait_s is not None:
        asked = getattr(exc, "retry_after_s", None)
        assert 0 <= wait_s <= (policy.backoff_cap_s if asked is None else policy.retry_after_cap_s)


@pytest.mark.django_db
@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)
@settings(**PROPERTY_SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=scripts)
def test_a_call_never_sleeps_longer(scripted_server, script):
    result = call_once(scripted_server, script, POLICY)

    for attempt, wait_s in enumerate(result.sleeps, start=1):
        asked = script[attempt - 1].retry_after_s
        assert 0 <= wait_s <= (min(POLICY.backoff_cap_s, 0.25 * 2 ** (attempt - 1)) if asked is None else asked)
        assert wait_s <= POLICY.retry_after_cap_s
