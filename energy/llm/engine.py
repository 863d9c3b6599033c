"""The adapter for the embedded model (provider kind `llama_cpp`): a call to the inference
engine (energy.engine) over its OpenAI-compatible API, through the `openai_compatible` adapter.
No web process or worker loads model weights.

The engine's own timings split the call's wall time in two: `inference_ms` is what the engine
spent on the prompt and the generation, `queue_ms` the rest (its queue, and admission's wait).
"""

from dataclasses import replace
from typing import Any

from django.conf import settings

from energy.engine import admission
from energy.llm import openai_compatible
from energy.llm.base import Completion, CompletionRequest, ModelRef


def engine_ref(model: ModelRef) -> ModelRef:
    # The engine serves one model (the catalog entries are ways of prompting it) and ignores the
    # name asked for. Reads may wait in its queue: the request's deadline bounds them, not a
    # per-read timeout.
    return replace(model, base_url=f"{settings.ENGINE_URL}/v1", secret_env="",
                   read_timeout_s=max(model.read_timeout_s, settings.REQUEST_DEADLINE_S))


def request_options(model: ModelRef, request: CompletionRequest) -> dict[str, Any]:
    return {
        # Keep the prompt in the slot's KV cache: the next call with the same few-shot prefix
        # evaluates only its own tail.
        "cache_prompt": True,
        # llama-server turns response_format into a grammar; only the catalog's grammar
        # configurations ask for one (it is several times slower per token).
        "response_format": {"type": "json_object"} if request.json_output and model.parameters.get("json_grammar") else None,
    }


async def complete(model: ModelRef, request: CompletionRequest) -> Completion:
    completion = await openai_compatible.complete(engine_ref(model), request, options=request_options(model, request))
    if completion.service_ms is not None:
        admission.service_times.observe(model.key, request.stage, completion.service_ms / 1000)
        completion.queue_ms += max(0.0, completion.inference_ms - completion.service_ms)
        completion.inference_ms = completion.service_ms
    return completion
