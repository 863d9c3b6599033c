"""Adapter for OpenAI-style servers: OpenAI, OpenRouter, vLLM, Ollama, llama.cpp's server (the
inference engine, through energy.llm.engine)."""

from typing import Any

from energy.llm.base import Completion, CompletionRequest, ModelRef, ProviderNotConfigured
from energy.llm.http import bearer_headers
from energy.llm.streaming import Chunk, Dialect, generation_body, stream_completion


async def complete(model: ModelRef, request: CompletionRequest, *, options: dict[str, Any] | None = None) -> Completion:
    """`options`: server-specific body fields, set over the common ones (None removes a field)."""
    if not model.base_url:
        raise ProviderNotConfigured(f"{model.key}: the provider has no base URL")
    headers = bearer_headers(model)
    body = generation_body(request)
    body["model"] = model.provider_model
    # A streamed response reports token counts only when asked to, in a final chunk.
    body["stream_options"] = {"include_usage": True}
    if request.settings.stop:
        body["stop"] = list(request.settings.stop)
    for name, value in (options or {}).items():
        if value is None:
            body.pop(name, None)
        else:
            body[name] = value
    endpoint = "/chat/completions" if request.messages is not None else "/completions"
    return await stream_completion(
        model, model.base_url.rstrip("/") + endpoint, headers=headers, body=body, dialect=DIALECT, on_text=request.on_text
    )


def read_chunk(event: dict[str, Any]) -> Chunk:
    choices = event.get("choices") or []
    if not choices:
        return Chunk(model=event.get("model") or "")
    choice = choices[0]
    # Chat chunks carry a delta, completion chunks a text.
    text = (choice["delta"] or {}).get("content") if "delta" in choice else choice.get("text")
    return Chunk(text=text or "", finish_reason=choice.get("finish_reason") or "", model=event.get("model") or "")


def read_error(body: Any) -> tuple[str, int | None]:
    # OpenAI sends {"error": {"message": ..., "code": "rate_limit_exceeded"}}: its codes are names,
    # not numbers, so only the message is kept. Other servers send {"error": "..."}.
    error = body.get("error", body)
    return (error.get("message", "") if isinstance(error, dict) else error), None


DIALECT = Dialect(read_chunk=read_chunk, read_error=read_error)
