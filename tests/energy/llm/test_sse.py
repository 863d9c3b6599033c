"""Reading server-sent event streams: framing, broken and malformed streams, a stream without a usage report."""

import httpx
import pytest
from pytest_httpx import IteratorStream

from energy.llm import openai_compatible
from energy.llm.base import ProviderConnectionError, ProviderResponseError, StreamIncomplete
from energy.llm.sse import DataStream
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, delta, sse, usage


async def lines(*items: str):
    for item in items:
        yield item


async def read(stream: DataStream) -> list[str]:
    return [payload async for payload in stream]


async def test_it_joins_multi_line_data_and_skips_comments_and_other_fields():
    stream = DataStream(lines(": keep-alive", "event: message", "id: 1", "data: a", "data:b", "", "data: c", ""))

    assert await read(stream) == ["a\nb", "c"]
    assert not stream.finished


async def test_it_stops_at_done():
    stream = DataStream(lines("data: a", "", "data: [DONE]", "", "data: after", ""))

    assert await read(stream) == ["a"]
    assert stream.finished


async def test_it_drops_an_event_cut_off_before_its_blank_line():
    stream = DataStream(lines("data: a", "", 'data: {"resp'))

    assert await read(stream) == ["a"]
    assert not stream.finished


async def test_it_accepts_a_final_done_without_its_blank_line():
    stream = DataStream(lines("data: a", "", "data: [DONE]"))

    assert await read(stream) == ["a"]
    assert stream.finished


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


@pytest.mark.parametrize(
    "body",
    [
        sse(delta("Plan"), "{not json", "[DONE]"),
        sse({"choices": [{"delta": "not an object"}]}, "[DONE]"),
        sse(usage(10, 0), "[DONE]"),
        sse("[DONE]"),
        b"",
    ],
    ids=["invalid-json", "unexpected-shape", "no-choices", "only-done", "empty"],
)
async def test_it_rejects_a_stream_without_usable_output(httpx_mock, body):
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=body)

    with pytest.raises(ProviderResponseError):
        await openai_compatible.complete(OPENROUTER, CHAT)


async def test_it_counts_one_token_per_delta_without_a_usage_report(httpx_mock):
    body = sse(delta("Plan"), delta(" A"), delta(""), delta(" wins", "stop"), "[DONE]")
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=body)

    completion = await openai_compatible.complete(OPENROUTER, CHAT)

    assert (completion.input_tokens, completion.output_tokens) == (0, 3)
