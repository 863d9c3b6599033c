import dataclasses

import pytest

from energy.llm import cloudflare, openai_compatible
from energy.llm.base import ProviderNotConfigured
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, WORKERS_AI, chat_stream


async def test_it_names_the_missing_variable_without_calling(httpx_mock, monkeypatch):
    monkeypatch.delenv("TEST_OPENAI_KEY")

    with pytest.raises(ProviderNotConfigured, match="TEST_OPENAI_KEY"):
        await openai_compatible.complete(OPENROUTER, CHAT)

    assert httpx_mock.get_requests() == []


async def test_it_refuses_workers_ai_without_a_token(httpx_mock, monkeypatch):
    monkeypatch.delenv("TEST_CF_TOKEN")

    with pytest.raises(ProviderNotConfigured, match="TEST_CF_TOKEN"):
        await cloudflare.complete(WORKERS_AI, CHAT)

    assert httpx_mock.get_requests() == []


async def test_it_calls_a_local_server_without_a_secret(httpx_mock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("hi"))
    local = dataclasses.replace(OPENROUTER, secret_env="")

    await openai_compatible.complete(local, CHAT)

    assert "Authorization" not in httpx_mock.get_request().headers
