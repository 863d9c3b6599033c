"""The OpenAI-compatible adapter: chat streams, the completions endpoint, JSON output and the secret."""

import dataclasses
import json

import pytest

from energy.llm import cloudflare, openai_compatible
from energy.llm.base import CompletionRequest, GenerationSettings, ProviderNotConfigured
from tests.energy.llm.streams import (
    CHAT,
    CHAT_URL,
    COMPLETIONS_URL,
    OPENAI_SECRET,
    OPENROUTER,
    PROMPT,
    RESOLVED_MODEL,
    WORKERS_AI,
    WORKERS_AI_URL,
    chat_stream,
    sse,
)


async def test_it_collects_the_streamed_text_and_usage(httpx_mock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("Plan A ", "is cheapest."))

    completion = await openai_compatible.complete(OPENROUTER, CHAT)

    assert completion.text == "Plan A is cheapest."
    assert (completion.input_tokens, completion.output_tokens) == (42, 2)
    assert completion.finish_reason == "stop"
    assert completion.resolved_model == RESOLVED_MODEL
    assert completion.ttft_ms is not None
    assert 0 < completion.ttft_ms <= completion.inference_ms


async def test_it_sends_the_secret_and_the_generation_settings(httpx_mock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("ok"))

    await openai_compatible.complete(OPENROUTER, CHAT)

    request = httpx_mock.get_request()
    assert request.headers["Authorization"] == f"Bearer {OPENAI_SECRET}"
    assert json.loads(request.content) == {
        "model": "openai/gpt-4o-mini",
        "messages": [{"role": "system", "content": "Explain."}, {"role": "user", "content": "Why plan A?"}],
        "max_tokens": 64,
        "temperature": 0.1,
        "stop": ["\n"],
        "stream": True,
        "stream_options": {"include_usage": True},
    }


async def test_it_posts_a_prompt_to_the_completions_endpoint(httpx_mock):
    body = sse(
        {"choices": [{"index": 0, "text": " Lowest", "finish_reason": None}]},
        {"choices": [{"index": 0, "text": " bill.", "finish_reason": "stop"}]},
        "[DONE]",
    )
    httpx_mock.add_response(url=COMPLETIONS_URL, method="POST", content=body)

    completion = await openai_compatible.complete(OPENROUTER, PROMPT)

    assert completion.text == " Lowest bill."
    assert completion.finish_reason == "stop"
    sent = json.loads(httpx_mock.get_request().content)
    assert sent["prompt"] == "Facts: cheapest.\nWhy:"
    assert "messages" not in sent


async def test_it_sends_no_stop_when_there_is_none(httpx_mock):
    httpx_mock.add_response(url=COMPLETIONS_URL, method="POST", content=sse({"choices": [{"text": "x"}]}, "[DONE]"))
    request = CompletionRequest(stage="narrative", settings=GenerationSettings(), prompt="Why:")

    await openai_compatible.complete(OPENROUTER, request)

    assert "stop" not in json.loads(httpx_mock.get_request().content)


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


async def test_it_names_the_missing_variable_without_calling(httpx_mock, monkeypatch):
    monkeypatch.delenv("PROVIDER_KEY_TEST_OPENAI")

    with pytest.raises(ProviderNotConfigured, match="PROVIDER_KEY_TEST_OPENAI"):
        await openai_compatible.complete(OPENROUTER, CHAT)

    assert httpx_mock.get_requests() == []


async def test_it_refuses_workers_ai_without_a_token(httpx_mock, monkeypatch):
    monkeypatch.delenv("PROVIDER_KEY_TEST_CF")

    with pytest.raises(ProviderNotConfigured, match="PROVIDER_KEY_TEST_CF"):
        await cloudflare.complete(WORKERS_AI, CHAT)

    assert httpx_mock.get_requests() == []


async def test_it_calls_a_local_server_without_a_secret(httpx_mock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("hi"))
    local = dataclasses.replace(OPENROUTER, secret_env="")

    await openai_compatible.complete(local, CHAT)

    assert "Authorization" not in httpx_mock.get_request().headers
