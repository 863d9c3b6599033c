import pytest

from energy.llm import openai_compatible
from energy.llm.base import ProviderHTTPError
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
