"""The adapters report what X-RateLimit-Remaining / X-RateLimit-Reset said, on successes and
failures alike, as (requests remaining, seconds until the reset)."""

import pytest

from energy.llm import cloudflare, openai_compatible
from energy.llm.base import ProviderHTTPError
from energy.llm.limits import parse_rate_limit
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, WORKERS_AI, WORKERS_AI_URL, chat_stream, sse

NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X-RateLimit-Remaining": "5", "X-RateLimit-Reset": "30"}, (5, 30.0)),
        ({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(NOW + 60)}, (0, 60.0)),  # a Unix time
        ({"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "6m0s"}, (0, 360.0)),  # OpenAI
        ({"x-ratelimit-remaining-requests": "7", "x-ratelimit-reset-requests": "20ms"}, (7, 0.02)),
        ({"X-RateLimit-Remaining": "3"}, (3, None)),
        ({"X-RateLimit-Remaining": "-1", "X-RateLimit-Reset": "soon"}, (None, None)),
        ({"X-RateLimit-Remaining": "nan", "X-RateLimit-Reset": "inf"}, (None, None)),
        ({"Content-Type": "text/event-stream"}, None),
    ],
)
def test_it_parses(headers, expected):
    assert parse_rate_limit(headers, now=NOW) == expected


async def test_a_completion_carries_them(httpx_mock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("Plan A"),
                            headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2"})

    completion = await openai_compatible.complete(OPENROUTER, CHAT)

    assert completion.rate_limit == (0, 2.0)


async def test_an_http_error_carries_them(httpx_mock):
    httpx_mock.add_response(url=WORKERS_AI_URL, method="POST", status_code=429,
                            headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "45"},
                            json={"success": False, "errors": [{"code": 3040, "message": "Capacity"}]})

    with pytest.raises(ProviderHTTPError) as raised:
        await cloudflare.complete(WORKERS_AI, CHAT)

    assert raised.value.rate_limit == (0, 45.0)


async def test_they_are_none_when_absent(httpx_mock):
    httpx_mock.add_response(url=WORKERS_AI_URL, method="POST", content=sse({"response": "Plan A"}, "[DONE]"))

    assert (await cloudflare.complete(WORKERS_AI, CHAT)).rate_limit is None
