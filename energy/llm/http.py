"""The shared HTTP client for remote providers, and the mapping of HTTP failures onto
the provider errors of `energy.llm.base`."""

import asyncio
import functools
import os
import ssl
import weakref
from time import perf_counter

import httpx

from energy.llm import endpoints
from energy.llm.base import (
    ModelRef,
    ProviderConnectionError,
    ProviderError,
    ProviderHTTPError,
    ProviderNotConfigured,
    ProviderResponseError,
    ProviderTimeout,
)
from energy.llm.retry_after import parse_retry_after

# 200 requests may be in flight against one provider; the pool must never be the queue.
LIMITS = httpx.Limits(max_connections=500, max_keepalive_connections=100)

# An AsyncClient's connections belong to the loop that opened them, and django-q2 workers and
# async_to_sync each run fresh loops, so there is one client per loop.
_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient]" = weakref.WeakKeyDictionary()


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One per process: building one (loading the CA bundle) takes ~30 ms, which a client made
    for a fresh loop (every benchmark unit, every queued recommendation) spent inside the
    latency of the calls it was made for (bench.harness_accuracy)."""
    return httpx.create_ssl_context()


def get_client() -> tuple[httpx.AsyncClient, float]:
    """The running loop's client, and the milliseconds spent creating it now (0.0 if reused)."""
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is not None:
        return client, 0.0
    started = perf_counter()
    _forget_closed_loops()
    client = httpx.AsyncClient(limits=LIMITS, verify=tls_context())
    _clients[loop] = client
    return client, (perf_counter() - started) * 1000


def _forget_closed_loops() -> None:
    # A client with open connections references its loop through their transports, so the weak
    # key alone would never die; dropping the entry lets the garbage collector take both.
    for loop in [loop for loop in _clients if loop.is_closed()]:
        del _clients[loop]


def timeout_for(model: ModelRef) -> httpx.Timeout:
    # Writing a small JSON body and waiting for a pooled connection are both "getting through
    # to the provider", so they share the connect budget; only reading waits on the model.
    return httpx.Timeout(
        connect=model.connect_timeout_s,
        read=model.read_timeout_s,
        write=model.connect_timeout_s,
        pool=model.connect_timeout_s,
    )


def bearer_headers(model: ModelRef) -> dict[str, str]:
    """The Authorization header from the model's secret variable; none when it names no variable
    (a local vLLM or Ollama server)."""
    if not model.secret_env:
        return {}
    if not endpoints.secret_env_allowed(model.secret_env):  # a row written before the rule, or by hand
        raise ProviderNotConfigured(f"{model.key}: {model.secret_env} is not a provider secret variable; nothing was sent")
    secret = os.environ.get(model.secret_env)
    if not secret:
        raise ProviderNotConfigured(f"{model.key}: environment variable {model.secret_env} is not set")
    return {"Authorization": f"Bearer {secret}"}


def provider_error(exc: httpx.HTTPError) -> ProviderError:
    if isinstance(exc, httpx.TimeoutException):
        return ProviderTimeout(f"{type(exc).__name__}: {exc}")
    if isinstance(exc, httpx.TransportError):
        return ProviderConnectionError(f"{type(exc).__name__}: {exc}")
    if isinstance(exc, httpx.DecodingError):
        return ProviderResponseError(f"{type(exc).__name__}: {exc}")
    return ProviderError(f"{type(exc).__name__}: {exc}")


def http_error(response: httpx.Response, message: str, *, code: int | None = None) -> ProviderHTTPError:
    """A non-2xx response as an error; `message` is the provider's own explanation, if any."""
    return ProviderHTTPError(
        response.status_code,
        message or response.reason_phrase,
        retry_after_s=parse_retry_after(response.headers),
        code=code,
    )
