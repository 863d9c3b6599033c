"""A provider that asks for a longer wait than LLM_RETRY_AFTER_CAP_S is not waited for: the call
fails at once, so that the stage falls back instead of sleeping in a request."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from energy.llm.base import ProviderHTTPError
from energy.models import LLMCall
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER
from tests.energy.resilience.records import calls_of


def in_an_hour() -> str:
    return format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("retry_after", ["11", "86400", "retry-after-ms", "http-date"])
async def test_it_does_not_sleep(httpx_mock, caller, clock, retry_after):
    headers = {
        "retry-after-ms": {"retry-after-ms": "60000"},
        "http-date": {"Retry-After": in_an_hour()},
    }.get(retry_after, {"Retry-After": retry_after})
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=429, headers=headers)

    with pytest.raises(ProviderHTTPError) as raised:
        await caller.complete(OPENROUTER, CHAT)

    assert raised.value.status_code == 429
    assert clock.sleeps == []
    assert await calls_of() == [(1, LLMCall.Status.FAILED, "http_error")]
