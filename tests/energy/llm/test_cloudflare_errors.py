import pytest

from energy.llm import cloudflare
from energy.llm.base import ProviderHTTPError, StreamIncomplete
from tests.energy.llm.streams import CHAT, WORKERS_AI, WORKERS_AI_URL, sse

CAPACITY = {
    "success": False,
    "errors": [{"code": 3040, "message": "Capacity temporarily exceeded"}],
    "messages": [],
    "result": None,
}


async def test_it_captures_the_error_code(httpx_mock):
    httpx_mock.add_response(url=WORKERS_AI_URL, method="POST", status_code=429, json=CAPACITY)

    with pytest.raises(ProviderHTTPError, match="Capacity temporarily exceeded") as raised:
        await cloudflare.complete(WORKERS_AI, CHAT)

    assert (raised.value.status_code, raised.value.code) == (429, 3040)


async def test_it_needs_done_to_call_a_stream_finished(httpx_mock):
    httpx_mock.add_response(url=WORKERS_AI_URL, method="POST", content=sse({"response": "Plan"}))

    with pytest.raises(StreamIncomplete) as raised:
        await cloudflare.complete(WORKERS_AI, CHAT)

    assert raised.value.partial_text == "Plan"
