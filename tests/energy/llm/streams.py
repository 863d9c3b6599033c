"""The models, requests and stream bodies the provider adapter tests share."""

import json
from typing import Any

from energy.llm.base import CompletionRequest, GenerationSettings, ModelRef

OPENAI_SECRET = "sk-test-openai"
CLOUDFLARE_SECRET = "cf-test-token"

OPENROUTER = ModelRef(
    key="openrouter/gpt-4o-mini",
    provider_kind="openai_compatible",
    provider_model="openai/gpt-4o-mini",
    base_url="https://llm.test/api/v1/",
    secret_env="PROVIDER_KEY_TEST_OPENAI",
    connect_timeout_s=1.5,
    read_timeout_s=6.0,
)
WORKERS_AI = ModelRef(
    key="workers-ai/llama-3.1-8b-instruct-fast",
    provider_kind="cloudflare",
    provider_model="@cf/meta/llama-3.1-8b-instruct-fast",
    account_id="acc123",
    secret_env="PROVIDER_KEY_TEST_CF",
)
CHAT_URL = "https://llm.test/api/v1/chat/completions"
COMPLETIONS_URL = "https://llm.test/api/v1/completions"
WORKERS_AI_URL = "https://api.cloudflare.com/client/v4/accounts/acc123/ai/run/@cf/meta/llama-3.1-8b-instruct-fast"

SETTINGS = GenerationSettings(max_tokens=64, temperature=0.1, stop=("\n",))
CHAT = CompletionRequest(
    stage="narrative",
    settings=SETTINGS,
    messages=({"role": "system", "content": "Explain."}, {"role": "user", "content": "Why plan A?"}),
)
PROMPT = CompletionRequest(stage="narrative", settings=SETTINGS, prompt="Facts: cheapest.\nWhy:")
RESOLVED_MODEL = "openai/gpt-4o-mini-2024-07-18"


def sse(*events: dict[str, Any] | str) -> bytes:
    """An SSE body with one `data:` event per argument; strings are sent as they are."""
    return b"".join(f"data: {e if isinstance(e, str) else json.dumps(e)}\n\n".encode() for e in events)


def delta(content: str, finish_reason: str | None = None) -> dict[str, Any]:
    choice = {"index": 0, "delta": {"content": content}, "finish_reason": finish_reason}
    return {"id": "gen-1", "model": RESOLVED_MODEL, "choices": [choice], "usage": None}


def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, Any]:
    counts = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens}
    return {"id": "gen-1", "model": RESOLVED_MODEL, "choices": [], "usage": counts}


def chat_stream(*contents: str) -> bytes:
    """A complete chat stream: the deltas, a finish, the usage chunk and [DONE]."""
    return sse(*(delta(c) for c in contents), delta("", "stop"), usage(42, len(contents)), "[DONE]")
