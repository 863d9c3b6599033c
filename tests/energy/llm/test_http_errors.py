"""HTTP failures as the adapters report them: server errors, rate limits and Retry-After, timeouts."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from energy.llm import openai_compatible
from energy.llm.base import ProviderConnectionError, ProviderHTTPError, ProviderTimeout
from energy.llm.retry_after import parse_retry_after
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER


async def test_it_raises_the_status_and_the_providers_message(httpx_mock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=500, json={"error": "upstream exploded"})

    with pytest.raises(ProviderHTTPError, match="HTTP 500: upstream exploded") as raised:
        await openai_compatible.complete(OPENROUTER, CHAT)

    assert raised.value.status_code == 500
    assert raised.value.retry_after_s is None


async def test_it_keeps_a_non_json_body_short(httpx_mock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=502, text="<html>" + "x" * 5000)

    with pytest.raises(ProviderHTTPError) as raised:
        await openai_compatible.complete(OPENROUTER, CHAT)

    assert raised.value.status_code == 502
    assert len(str(raised.value)) < 300


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


NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("headers", "expected_s"),
    [
        ({"Retry-After": "30"}, 30.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"Retry-After": "Sun, 01 Jun 2025 12:00:45 GMT"}, 45.0),
        ({"Retry-After": "Sun, 01 Jun 2025 11:59:00 GMT"}, 0.0),
        ({"retry-after-ms": "250"}, 0.25),
        ({"Retry-After-Ms": "2000", "Retry-After": "9"}, 2.0),
        ({"retry-after-ms": "soon", "Retry-After": "9"}, 9.0),
        ({"Retry-After": "86400000"}, 86400000.0),
        ({"Retry-After": "-5"}, None),
        ({"retry-after-ms": "-5"}, None),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": ""}, None),
        ({"Retry-After": "nan"}, None),
        ({"Retry-After": "1e999"}, None),
        ({}, None),
    ],
)
def test_it_reads_seconds_dates_and_milliseconds(headers, expected_s):
    assert parse_retry_after(headers, now=NOW) == expected_s


@pytest.mark.parametrize(
    ("exception", "expected"),
    [
        (httpx.ReadTimeout("timed out"), ProviderTimeout),
        (httpx.ConnectTimeout("timed out"), ProviderTimeout),
        (httpx.PoolTimeout("no free connection"), ProviderTimeout),
        (httpx.ConnectError("connection refused"), ProviderConnectionError),
    ],
)
async def test_it_maps_transport_failures(httpx_mock, exception, expected):
    httpx_mock.add_exception(exception, url=CHAT_URL, method="POST")

    with pytest.raises(expected):
        await openai_compatible.complete(OPENROUTER, CHAT)


async def test_it_passes_the_models_timeouts(httpx_mock):
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=CHAT_URL, method="POST")

    with pytest.raises(ProviderTimeout):
        await openai_compatible.complete(OPENROUTER, CHAT)

    timeouts = httpx_mock.get_request().extensions["timeout"]
    assert timeouts == {"connect": 1.5, "read": 6.0, "write": 1.5, "pool": 1.5}
