"""Which failures are retried, how often and after what wait."""

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpx import IteratorStream

from energy.llm.base import ProviderError, ProviderHTTPError
from energy.llm.retry import RetryPolicy
from energy.models import LLMCall
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, WORKERS_AI, WORKERS_AI_URL, chat_stream, delta, sse
from tests.energy.resilience.faults import CLIENT_ERRORS, Fault
from tests.energy.resilience.records import calls_of
from tests.energy.resilience.scripted import PROPERTY_SETTINGS, call_once, expected_attempts
from tests.energy.resilience.strategies import client_error_statuses, jitters, policies, retry_after_s, scripts

# Connection errors, timeouts, broken streams, 408, 409, 429 and 5xx are retried with jittered exponential backoff, up
# to LLM_MAX_ATTEMPTS attempts, each one recorded.
FAILED, TIMEOUT, INCOMPLETE = LLMCall.Status.FAILED, LLMCall.Status.TIMEOUT, LLMCall.Status.INCOMPLETE


def broken_after_a_token():
    yield sse(delta("Plan "))
    raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")


def add_fault(httpx_mock, fault: str) -> None:
    if fault == "read timeout":
        httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=CHAT_URL, method="POST")
    elif fault == "connection reset":
        httpx_mock.add_exception(httpx.ConnectError("connection reset by peer"), url=CHAT_URL, method="POST")
    elif fault == "broken stream":
        httpx_mock.add_response(url=CHAT_URL, method="POST", stream=IteratorStream(broken_after_a_token()))
    else:
        httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=int(fault), json={"error": "try later"})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("fault", "status", "error_class"),
    [
        ("408", FAILED, "http_error"), ("409", FAILED, "http_error"), ("429", FAILED, "http_error"),
        ("500", FAILED, "http_error"), ("502", FAILED, "http_error"), ("503", FAILED, "http_error"),
        ("504", FAILED, "http_error"), ("read timeout", TIMEOUT, "timeout"),
        ("connection reset", FAILED, "connection_error"), ("broken stream", INCOMPLETE, "stream_incomplete"),
    ],
)
async def test_it_retries_until_the_budget_is_spent(httpx_mock, caller, clock, fault, status, error_class):
    for _ in range(3):
        add_fault(httpx_mock, fault)

    with pytest.raises(ProviderError):
        await caller.complete(OPENROUTER, CHAT)

    assert await calls_of() == [(1, status, error_class), (2, status, error_class), (3, status, error_class)]
    assert len(clock.sleeps) == 2
    # Full jitter: a random share of base·2^(attempt-1), with LLM_BACKOFF_BASE_S = 0.25.
    assert 0 <= clock.sleeps[0] < 0.25
    assert 0 <= clock.sleeps[1] < 0.5


@pytest.mark.django_db(transaction=True)
async def test_it_serves_the_answer_of_a_later_attempt(httpx_mock, caller):
    add_fault(httpx_mock, "503")
    add_fault(httpx_mock, "broken stream")
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("Plan ", "A"))

    completion = await caller.complete(OPENROUTER, CHAT)

    assert completion.text == "Plan A"
    assert await calls_of() == [(1, FAILED, "http_error"), (2, INCOMPLETE, "stream_incomplete"),
                                (3, LLMCall.Status.SUCCEEDED, "")]


# A 429 that says when to come back is retried after exactly that long, and both attempts are recorded.
RATE_LIMITED = {"error": {"message": "Rate limit reached"}}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("headers", "expected_wait_s"), [({"Retry-After": "2"}, 2.0), ({"retry-after-ms": "1500"}, 1.5)])
async def test_it_waits_as_asked_then_succeeds(httpx_mock, caller, clock, headers, expected_wait_s):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=429, headers=headers, json=RATE_LIMITED)
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("Plan ", "A"))

    completion = await caller.complete(OPENROUTER, CHAT)

    assert completion.text == "Plan A"
    assert clock.sleeps == [expected_wait_s]
    assert await calls_of() == [
        (1, LLMCall.Status.FAILED, "http_error"),
        (2, LLMCall.Status.SUCCEEDED, ""),
    ]


# Workers AI's 3040 "capacity temporarily exceeded" is worth another attempt.
CAPACITY = {"success": False, "errors": [{"code": 3040, "message": "Capacity temporarily exceeded"}]}


@pytest.mark.django_db(transaction=True)
async def test_it_retries_and_succeeds(httpx_mock, caller, clock):
    httpx_mock.add_response(url=WORKERS_AI_URL, method="POST", status_code=429, json=CAPACITY)
    httpx_mock.add_response(url=WORKERS_AI_URL, method="POST", content=sse({"response": "Plan A"}, "[DONE]"))

    completion = await caller.complete(WORKERS_AI, CHAT)

    assert completion.text == "Plan A"
    assert len(clock.sleeps) == 1
    assert await calls_of() == [(1, LLMCall.Status.FAILED, "http_error"), (2, LLMCall.Status.SUCCEEDED, "")]


# A 4xx other than 408, 409 and 429 would fail the same way again: one attempt, no wait.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", CLIENT_ERRORS)
async def test_it_makes_one_attempt(httpx_mock, caller, clock, status):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=status, json={"error": "no"})

    with pytest.raises(ProviderHTTPError):
        await caller.complete(OPENROUTER, CHAT)

    assert clock.sleeps == []
    assert await calls_of() == [(1, LLMCall.Status.FAILED, "http_error")]


# Whatever the provider does, a call makes at most LLM_MAX_ATTEMPTS upstream attempts (exactly as many as the retry
# rules allow), each recorded as an LLMCall row numbered 1, 2, 3…
@pytest.mark.django_db
@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)
@settings(**PROPERTY_SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=scripts, max_attempts=st.integers(min_value=1, max_value=5))
def test_it_never_makes_more_attempts_than_the_budget(scripted_server, script, max_attempts):
    policy = RetryPolicy(max_attempts=max_attempts)

    result = call_once(scripted_server, script, policy)

    assert result.requests <= max_attempts
    assert result.requests == expected_attempts(script, policy)
    assert result.attempts == list(range(1, result.requests + 1))
    assert len(result.sleeps) == result.requests - 1


# A 4xx other than 408, 409 and 429 is never retried, whatever else it says.
@settings(max_examples=300)
@given(policy=policies, status=client_error_statuses, asked=retry_after_s, code=st.sampled_from([None, 3040, 1000]),
       attempt=st.integers(min_value=1, max_value=10), jitter=jitters)
def test_it_never_retries_a_client_error_by_the_rule(policy, status, asked, code, attempt, jitter):
    exc = ProviderHTTPError(status, "client error", retry_after_s=asked, code=code)

    # Cloudflare's capacity error is the one exception, whatever status it comes with.
    assert (policy.wait_before_retry(exc, attempt, jitter) is None) or code == 3040


@pytest.mark.django_db
@pytest.mark.httpx_mock(assert_all_responses_were_requested=False)
@settings(**PROPERTY_SETTINGS, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=client_error_statuses, asked=retry_after_s, rest=scripts)
def test_it_makes_one_attempt_on_any_client_error(scripted_server, status, asked, rest):
    result = call_once(scripted_server, [Fault("status", status, asked), *rest], RetryPolicy(max_attempts=5))

    assert (result.requests, result.sleeps, result.attempts) == (1, [], [1])
