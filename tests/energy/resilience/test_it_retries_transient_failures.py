"""Connection errors, timeouts, broken streams, 408, 409, 429 and 5xx are retried with jittered
exponential backoff, up to LLM_MAX_ATTEMPTS attempts, each one recorded."""

import httpx
import pytest
from pytest_httpx import IteratorStream

from energy.llm.base import ProviderError
from energy.models import LLMCall
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, chat_stream, delta, sse
from tests.energy.resilience.records import calls_of

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
