"""Route a call to the adapter for the model's provider kind."""

from collections.abc import Awaitable, Callable
from importlib import import_module

from energy.llm.base import Completion, CompletionRequest, ModelRef, ProviderNotConfigured

Adapter = Callable[[ModelRef, CompletionRequest], Awaitable[Completion]]

ADAPTER_MODULES = {
    "openai_compatible": "energy.llm.openai_compatible",
    "cloudflare": "energy.llm.cloudflare",
    "llama_cpp": "energy.llm.engine",
    "rules": "energy.llm.rules",
}


def adapter_for(kind: str) -> Adapter:
    try:
        module = ADAPTER_MODULES[kind]
    except KeyError:
        raise ProviderNotConfigured(f"unknown provider kind {kind!r}") from None
    return import_module(module).complete


async def complete(model: ModelRef, request: CompletionRequest) -> Completion:
    return await adapter_for(model.provider_kind)(model, request)
