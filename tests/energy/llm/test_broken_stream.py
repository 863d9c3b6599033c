import httpx
import pytest
from pytest_httpx import IteratorStream

from energy.llm import openai_compatible
from energy.llm.base import ProviderConnectionError, StreamIncomplete
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, delta, sse


def cut_after(*chunks: bytes):
    yield from chunks
    raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")


async def test_it_keeps_the_partial_text_when_the_stream_breaks_after_the_first_token(httpx_mock):
    stream = IteratorStream(cut_after(sse(delta("Plan "), delta("A"))))
    httpx_mock.add_response(url=CHAT_URL, method="POST", stream=stream)

    with pytest.raises(StreamIncomplete) as raised:
        await openai_compatible.complete(OPENROUTER, CHAT)

    assert raised.value.partial_text == "Plan A"
    assert raised.value.ttft_ms is not None


async def test_it_is_a_connection_error_when_the_stream_breaks_before_the_first_token(httpx_mock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", stream=IteratorStream(cut_after(sse(delta("")))))

    with pytest.raises(ProviderConnectionError):
        await openai_compatible.complete(OPENROUTER, CHAT)


async def test_it_is_incomplete_when_the_stream_ends_without_finishing(httpx_mock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=sse(delta("Plan "), delta("A")))

    with pytest.raises(StreamIncomplete) as raised:
        await openai_compatible.complete(OPENROUTER, CHAT)

    assert raised.value.partial_text == "Plan A"
