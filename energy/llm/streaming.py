"""One streamed completion over HTTP: timing, SSE decoding and error mapping shared by the
remote adapters, which differ only in the request they build and the chunks they receive."""

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

import httpx

from energy.llm import endpoints
from energy.llm.base import Completion, CompletionRequest, ModelRef, ProviderResponseError, StreamIncomplete
from energy.llm.http import get_client, http_error, provider_error, timeout_for
from energy.llm.limits import parse_rate_limit
from energy.llm.sse import DataStream

ERROR_MESSAGE_CHARS = 200


@dataclass(frozen=True)
class Chunk:
    """What one decoded stream event says. `text` is None when the event carries no output at
    all (a usage-only chunk), as opposed to "" for an empty delta."""

    text: str | None = None
    finish_reason: str = ""
    model: str = ""


@dataclass(frozen=True)
class Dialect:
    """How a provider speaks: `read_chunk` decodes a stream event, `read_error` returns the
    (message, code) of a decoded error body. Both may raise on a shape they do not expect."""

    read_chunk: Callable[[dict[str, Any]], Chunk]
    read_error: Callable[[Any], tuple[str, int | None]]


def generation_body(request: CompletionRequest) -> dict[str, Any]:
    """The request body fields every remote provider takes alike."""
    body: dict[str, Any] = {
        "max_tokens": request.settings.max_tokens,
        "temperature": request.settings.temperature,
        "stream": True,
    }
    if request.messages is not None:
        body["messages"] = list(request.messages)
    else:
        body["prompt"] = request.prompt
    if request.json_output:
        body["response_format"] = {"type": "json_object"}
    return body


async def stream_completion(
    model: ModelRef, url: str, *, headers: dict[str, str], body: dict[str, Any], dialect: Dialect,
    on_text: Callable[[str], Awaitable[None]] | None = None,
) -> Completion:
    client, init_ms = get_client()
    progress = _Progress(started=perf_counter())
    try:
        async with client.stream("POST", url, headers=headers, json=body, timeout=timeout_for(model),
                                 extensions={"trace": progress.trace}) as response:
            # The caller's rate limiting reads these from successes and failures alike.
            progress.rate_limit = parse_rate_limit(response.headers)
            if not response.is_success:
                await response.aread()
                message, code = _describe_error(response, dialect, quote=endpoints.shows_error_bodies(url))
                error = http_error(response, message, code=code)
                error.rate_limit = progress.rate_limit
                raise error
            events = DataStream(response.aiter_lines())
            async for payload in events:
                chunk, usage, timings = _read_event(payload, dialect, url)
                progress.add(chunk, usage, timings)
                if chunk.text and on_text is not None:
                    await on_text(chunk.text)
    except httpx.HTTPError as exc:
        if progress.ttft_ms is not None:
            raise progress.incomplete(f"{type(exc).__name__} after the first token") from exc
        raise provider_error(exc) from exc
    inference_ms = _ms_since(progress.started)

    if not progress.saw_output:
        raise ProviderResponseError("the stream carried no output")
    if not (events.finished or progress.finish_reason):
        if progress.text:
            raise progress.incomplete("the stream ended before it finished")
        raise ProviderResponseError("the stream ended before any output")
    return progress.completion(model, inference_ms=inference_ms, init_ms=init_ms)


@dataclass
class _Progress:
    started: float
    text: list[str] = field(default_factory=list)
    ttft_ms: float | None = None
    saw_output: bool = False
    finish_reason: str = ""
    model: str = ""
    input_tokens: int | None = None
    output_tokens: int | None = None
    cached_tokens: int = 0
    service_ms: float | None = None
    rate_limit: tuple[int | None, float | None] | None = None
    # Opening the connection (TCP, TLS), when the call opened one: the client's pool reuses
    # connections, but a fresh event loop (a benchmark unit, a queued request) starts without.
    connect_ms: float = 0.0
    _connecting_since: float | None = None

    async def trace(self, event: str, info: dict) -> None:
        """httpcore's trace hook: time between connect_tcp/start_tls started and complete (or failed)."""
        if event in ("connection.connect_tcp.started", "connection.start_tls.started"):
            self._connecting_since = perf_counter()
        elif event.startswith(("connection.connect_tcp.", "connection.start_tls.")) and self._connecting_since:
            self.connect_ms += _ms_since(self._connecting_since)
            self._connecting_since = None

    def add(self, chunk: Chunk, usage: Any, timings: Any = None) -> None:
        if chunk.text:
            if self.ttft_ms is None:
                self.ttft_ms = _ms_since(self.started)
            self.text.append(chunk.text)
        self.saw_output = self.saw_output or chunk.text is not None
        self.finish_reason = chunk.finish_reason or self.finish_reason
        self.model = chunk.model or self.model
        # Workers AI reports usage the OpenAI way too, usually in a chunk of its own near the end.
        if isinstance(usage, dict):
            self.input_tokens = usage.get("prompt_tokens", self.input_tokens)
            self.output_tokens = usage.get("completion_tokens", self.output_tokens)
            details = usage.get("prompt_tokens_details")
            if isinstance(details, dict) and isinstance(details.get("cached_tokens"), int):
                self.cached_tokens = details["cached_tokens"]
        # llama-server's own clock: time spent evaluating the prompt and generating.
        if isinstance(timings, dict):
            spent = [timings.get("prompt_ms"), timings.get("predicted_ms")]
            if all(isinstance(ms, int | float) for ms in spent):
                self.service_ms = float(sum(spent))

    def incomplete(self, reason: str) -> StreamIncomplete:
        return StreamIncomplete(reason, partial_text="".join(self.text), ttft_ms=self.ttft_ms)

    def completion(self, model: ModelRef, *, inference_ms: float, init_ms: float) -> Completion:
        return Completion(
            text="".join(self.text),
            input_tokens=self.input_tokens or 0,
            # Without a usage report each non-empty delta counts as one token: servers send about
            # one token per delta, and an estimate beats a zero in the cost figures.
            output_tokens=self.output_tokens if self.output_tokens is not None else len(self.text),
            ttft_ms=self.ttft_ms,
            inference_ms=inference_ms,
            init_ms=init_ms,
            connect_ms=self.connect_ms,
            service_ms=self.service_ms,
            cached_tokens=self.cached_tokens,
            finish_reason=self.finish_reason,
            # An endpoint that does not name the model ran the one it was asked for.
            resolved_model=self.model or model.provider_model,
            rate_limit=self.rate_limit,
        )


def _ms_since(started: float) -> float:
    return (perf_counter() - started) * 1000


def _read_event(payload: str, dialect: Dialect, url: str) -> tuple[Chunk, Any, Any]:
    """The event's chunk, and its usage and timings reports, if any."""
    try:
        event = json.loads(payload)
    except ValueError as exc:
        raise ProviderResponseError(f"invalid JSON in the stream: {_excerpt(payload, url)}") from exc
    try:
        return dialect.read_chunk(event), event.get("usage"), event.get("timings")
    except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
        raise ProviderResponseError(f"unexpected stream event: {_excerpt(payload, url)}") from exc


def _excerpt(payload: str, url: str) -> str:
    """What an answer said, quoted only from a known host (energy/llm/endpoints.py)."""
    return repr(payload[:ERROR_MESSAGE_CHARS]) if endpoints.shows_error_bodies(url) else endpoints.withheld(url, payload)


def _describe_error(response: httpx.Response, dialect: Dialect, *, quote: bool) -> tuple[str, int | None]:
    """The provider's explanation of an error and its code; from a host that is not known, only
    the code (a number) and the body's size: the body could be any internal service's page."""
    try:
        message, code = dialect.read_error(response.json())
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        message, code = response.text, None
    if not quote:
        return endpoints.withheld(str(response.request.url), response.content), code if isinstance(code, int) else None
    return str(message).strip()[:ERROR_MESSAGE_CHARS], code
