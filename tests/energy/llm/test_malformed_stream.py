import pytest

from energy.llm import openai_compatible
from energy.llm.base import ProviderResponseError
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, delta, sse, usage


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
