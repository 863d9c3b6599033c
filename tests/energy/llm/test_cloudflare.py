"""The Workers AI (Cloudflare) adapter: the account and gateway URLs, its streams and its error codes."""

import dataclasses
import json

import pytest

from energy.llm import cloudflare
from energy.llm.base import ProviderHTTPError, StreamIncomplete
from tests.energy.llm.streams import CHAT, CLOUDFLARE_SECRET, PROMPT, WORKERS_AI, WORKERS_AI_URL, sse

USAGE = {"prompt_tokens": 30, "completion_tokens": 3, "total_tokens": 33}
BODY = sse(
    {"response": "Plan", "p": "abc"},
    {"response": " A", "p": "abcd"},
    {"response": "", "usage": USAGE},
    "[DONE]",
)


async def test_it_runs_the_model_under_the_account(httpx_mock):
    httpx_mock.add_response(url=WORKERS_AI_URL, method="POST", content=BODY)

    completion = await cloudflare.complete(WORKERS_AI, CHAT)

    assert completion.text == "Plan A"
    assert (completion.input_tokens, completion.output_tokens) == (30, 3)
    assert completion.resolved_model == "@cf/meta/llama-3.1-8b-instruct-fast"
    assert 0 < completion.ttft_ms <= completion.inference_ms
    request = httpx_mock.get_request()
    assert request.headers["Authorization"] == f"Bearer {CLOUDFLARE_SECRET}"
    assert json.loads(request.content) == {
        "messages": [{"role": "system", "content": "Explain."}, {"role": "user", "content": "Why plan A?"}],
        "max_tokens": 64,
        "temperature": 0.1,
        "stream": True,
    }


async def test_it_sends_a_prompt_to_a_configured_gateway(httpx_mock):
    gateway = dataclasses.replace(WORKERS_AI, base_url="https://gateway.test/v4/")
    url = "https://gateway.test/v4/accounts/acc123/ai/run/@cf/meta/llama-3.1-8b-instruct-fast"
    httpx_mock.add_response(url=url, method="POST", content=BODY)

    await cloudflare.complete(gateway, PROMPT)

    assert json.loads(httpx_mock.get_request().content)["prompt"] == "Facts: cheapest.\nWhy:"


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
