from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from energy.llm import openai_compatible
from energy.llm.base import ProviderHTTPError
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER

RATE_LIMITED = {"error": {"message": "Rate limit reached", "code": "rate_limit_exceeded"}}


@pytest.mark.parametrize(
    ("headers", "expected_s"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"retry-after-ms": "1500", "Retry-After": "2"}, 1.5),
        ({}, None),
    ],
)
async def test_it_reports_how_long_to_wait(httpx_mock, headers, expected_s):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=429, headers=headers, json=RATE_LIMITED)

    with pytest.raises(ProviderHTTPError) as raised:
        await openai_compatible.complete(OPENROUTER, CHAT)

    assert raised.value.status_code == 429
    assert raised.value.retry_after_s == expected_s
    assert "Rate limit reached" in str(raised.value)


async def test_it_reads_an_http_date(httpx_mock):
    in_a_minute = format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=429, headers={"Retry-After": in_a_minute})

    with pytest.raises(ProviderHTTPError) as raised:
        await openai_compatible.complete(OPENROUTER, CHAT)

    assert 55 < raised.value.retry_after_s <= 60
