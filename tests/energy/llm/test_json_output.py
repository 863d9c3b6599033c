import dataclasses
import json

from energy.llm import cloudflare, openai_compatible
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, WORKERS_AI, WORKERS_AI_URL, chat_stream, sse

JSON_CHAT = dataclasses.replace(CHAT, json_output=True)


async def test_it_asks_openai_compatible_servers_for_a_json_object(httpx_mock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("{}"))

    await openai_compatible.complete(OPENROUTER, JSON_CHAT)

    assert json.loads(httpx_mock.get_request().content)["response_format"] == {"type": "json_object"}


async def test_it_asks_workers_ai_for_a_json_object(httpx_mock):
    httpx_mock.add_response(url=WORKERS_AI_URL, method="POST", content=sse({"response": "{}"}, "[DONE]"))

    await cloudflare.complete(WORKERS_AI, JSON_CHAT)

    assert json.loads(httpx_mock.get_request().content)["response_format"] == {"type": "json_object"}


async def test_it_leaves_the_format_free_otherwise(httpx_mock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("text"))

    await openai_compatible.complete(OPENROUTER, CHAT)

    assert "response_format" not in json.loads(httpx_mock.get_request().content)
