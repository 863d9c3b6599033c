"""The embedded model's queue is bounded: overload is a fast ModelBusy to fall back from."""

import asyncio
import time

import pytest

from energy.llm import llama_cpp
from energy.llm.base import Completion, CompletionRequest, GenerationSettings, ModelBusy, ModelRef, ProviderError

MODEL = ModelRef(key="local/gemma-3-270m", provider_kind="llama_cpp", prompt_style="completion")


def request(prompt: str = "Hello") -> CompletionRequest:
    return CompletionRequest(stage="narrative", settings=GenerationSettings(max_tokens=1), prompt=prompt)


def slow_generate(model: ModelRef, request: CompletionRequest) -> Completion:
    time.sleep(0.05)  # on the inference thread, as a real generation would be
    return Completion(text=f" answer to {request.prompt}")


def never_generate(model: ModelRef, request: CompletionRequest) -> Completion:
    raise AssertionError("a full queue must not reach the model")


async def test_it_refuses_at_once_when_the_queue_is_full(settings, monkeypatch):
    settings.EMBEDDED_MODEL_MAX_QUEUE = 0
    monkeypatch.setattr(llama_cpp, "_generate", never_generate)
    started = time.perf_counter()
    with pytest.raises(ModelBusy):
        await llama_cpp.complete(MODEL, request())
    assert time.perf_counter() - started < 0.05
    assert llama_cpp.status()["queue_depth"] == 0


async def test_it_refuses_the_call_beyond_the_bound(settings, monkeypatch):
    settings.EMBEDDED_MODEL_MAX_QUEUE = 1
    monkeypatch.setattr(llama_cpp, "_generate", slow_generate)
    first, second = await asyncio.gather(llama_cpp.complete(MODEL, request("first")),
                                         llama_cpp.complete(MODEL, request("second")), return_exceptions=True)
    assert first.text == " answer to first"
    assert isinstance(second, ModelBusy)
    assert llama_cpp.status()["queue_depth"] == 0


async def test_it_serves_queued_calls_in_arrival_order(settings, monkeypatch):
    settings.EMBEDDED_MODEL_MAX_QUEUE = 8
    finished = []

    def recording_generate(model, request):
        finished.append(request.prompt)
        return slow_generate(model, request)

    monkeypatch.setattr(llama_cpp, "_generate", recording_generate)
    prompts = [f"call {n}" for n in range(4)]
    await asyncio.gather(*(llama_cpp.complete(MODEL, request(p)) for p in prompts))
    assert finished == prompts


async def test_it_frees_its_place_when_the_model_fails(settings, monkeypatch):
    def broken_generate(model, request):
        raise ValueError("Requested tokens (4000) exceed context window of 2048")

    monkeypatch.setattr(llama_cpp, "_generate", broken_generate)
    with pytest.raises(ProviderError, match="embedded model failed: Requested tokens"):
        await llama_cpp.complete(MODEL, request())
    assert llama_cpp.status()["queue_depth"] == 0
