"""Adapter for Cloudflare Workers AI, through its REST API."""

from typing import Any

from energy.llm.base import Completion, CompletionRequest, ModelRef, ProviderNotConfigured
from energy.llm.http import bearer_headers
from energy.llm.streaming import Chunk, Dialect, generation_body, stream_completion

DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4"


async def complete(model: ModelRef, request: CompletionRequest) -> Completion:
    if not (model.account_id and model.secret_env):
        raise ProviderNotConfigured(f"{model.key}: Workers AI needs an account id and an API token variable")
    headers = bearer_headers(model)
    base_url = (model.base_url or DEFAULT_BASE_URL).rstrip("/")
    url = f"{base_url}/accounts/{model.account_id}/ai/run/{model.provider_model}"
    return await stream_completion(model, url, headers=headers, body=generation_body(request), dialect=DIALECT,
                                   on_text=request.on_text)


def read_chunk(event: dict[str, Any]) -> Chunk:
    # {"response": "...", "p": "..."}; the usage chunk near the end has "response": "" too.
    return Chunk(text=event.get("response"))


def read_error(body: Any) -> tuple[str, int | None]:
    # {"success": false, "errors": [{"code": 3040, "message": "Capacity temporarily exceeded"}]}
    first = body["errors"][0]
    return first.get("message", ""), first.get("code")


DIALECT = Dialect(read_chunk=read_chunk, read_error=read_error)
