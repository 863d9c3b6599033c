"""An OpenAI-compatible model server on loopback that answers every pipeline stage correctly,
unless its script tells it to fail. It is real HTTP on a real socket, so a fault reaches the
product the way a provider's would: through httpx, the adapter, any retry layer and the recorder.

    with FaultServer() as server:
        server.plan(["500", "ok"])                     # the next requests, in order
        server.plan(["hang"], stage="narrative")       # the next narrative requests (a stage's plan goes first)
        server.fault_rate(0.3, kinds=FAULTS, seed=7)   # once the plans are used up: faults at random
        server.latency(0.05)                           # extra seconds before every answer
        server.base_url                                # http://127.0.0.1:<port>/v1
        server.counts["500"], server.total, server.served(stage="narrative")

A kind is a name from KINDS, optionally followed by `:<number>` to replace its default
("429-seconds:3" answers Retry-After: 3, "slow-stream:0.2" waits 0.2 s between chunks).
The correct answer is built from the facts in the prompt (tests/fakes/stage_answers.py), so a
request that is not faulted is served by the remote model and passes the product's validation.
"""

import contextlib
import json
import random
import socket
import struct
import sys
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.fakes.stage_answers import answer_for

CHAT_PATH = "/v1/chat/completions"
COMPLETIONS_PATH = "/v1/completions"
MODEL = "fault-server-1"
CHUNK_CHARS = 16

# name -> (what the server does, the default of its numeric argument)
KINDS: dict[str, tuple[str, float | None]] = {
    "ok": ("a correct streamed answer", None),
    "429-seconds": ("429 with Retry-After: <seconds>", 1),
    "429-date": ("429 with Retry-After: an HTTP-date <seconds> ahead", 2),
    "429-ms": ("429 with retry-after-ms: <milliseconds>", 300),
    "429-huge": ("429 with Retry-After: <seconds>, a day by default", 86400),
    "429-malformed": ("429 with Retry-After: soon", None),
    "400": ("400 Bad Request, which no client should retry", None),
    "500": ("500 with an OpenAI-style error body", None),
    "502": ("502 with an OpenAI-style error body", None),
    "503": ("503 with an OpenAI-style error body", None),
    "504": ("504 with an OpenAI-style error body", None),
    "hang": ("reads the request, then says nothing for <seconds> (or until the server stops)", 30),
    "reset": ("closes the connection with a TCP reset instead of answering", None),
    "truncated-body": ("200 application/json, not a stream, whose JSON is cut in half", None),
    "invalid-json-line": ("a stream whose first data line is not JSON", None),
    "truncated-answer": ("a well-formed stream whose answer is half a JSON object", None),
    "empty-choices": ("a well-formed stream in which every chunk has empty choices", None),
    "mid-stream-error": ("the first half of the answer's chunks, then the connection drops", None),
    "slow-stream": ("the correct answer with <seconds> between chunks", 0.05),
    "quota-exhausted": ("the correct answer, its X-RateLimit headers saying none remain for <seconds>", 60),
}
# The failures. A quota announcement is an answer, and one with a long window would turn the rest
# of a chaos run into a test of the quota alone.
FAULTS = tuple(name for name in KINDS if name not in ("ok", "quota-exhausted"))
HTTP_ERRORS = {"400": 400, "429-seconds": 429, "429-date": 429, "429-ms": 429, "429-huge": 429, "429-malformed": 429,
               "500": 500, "502": 502, "503": 503, "504": 504}


@dataclass(frozen=True)
class Served:
    """One request the server read, and how it answered it."""

    kind: str  # as planned, argument included
    stage: str  # usage_summary | plan_scoring | narrative | other
    path: str
    at: float  # time.monotonic() when the request was read


def kind_name(kind: str) -> str:
    return kind.partition(":")[0]


def kind_argument(kind: str) -> float | None:
    name, _, argument = kind.partition(":")
    return float(argument) if argument else KINDS[name][1]


def check_kinds(kinds: Iterable[str]) -> list[str]:
    kinds = list(kinds)
    for kind in kinds:
        if kind_name(kind) not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(KINDS)}")
        kind_argument(kind)  # a malformed argument fails here, not in the server thread
    return kinds


class FaultServer:
    """Start with `with FaultServer() as server:` (or start()/stop()); every method is thread-safe."""

    def __init__(self, host: str = "127.0.0.1"):
        self._host = host
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._plans: dict[str | None, deque[str]] = {}
        self._rate = 0.0
        self._random_kinds: list[str] = []
        self._random = random.Random()
        self._latency_s = 0.0
        self._served: list[Served] = []
        self._connections: set[socket.socket] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.counts: Counter[str] = Counter()
        self.errors: list[str] = []  # the server's own failures (not the faults it was told to inject)

    # --- the script ---------------------------------------------------------------------
    def plan(self, kinds: Iterable[str], *, stage: str | None = None) -> None:
        """Answer the next requests (of `stage`, or any) with these kinds, in order."""
        kinds = check_kinds(kinds)
        with self._lock:
            self._plans.setdefault(stage, deque()).extend(kinds)

    def fault_rate(self, rate: float, *, kinds: Iterable[str] = FAULTS, seed: int | None = None) -> None:
        """Once the plans are used up, fail each request with probability `rate`, with a kind drawn
        uniformly from `kinds`; `seed` makes the sequence repeatable."""
        kinds = check_kinds(kinds)
        if not 0 <= rate <= 1 or (rate > 0 and not kinds):
            raise ValueError("rate must be within 0..1, with at least one kind")
        with self._lock:
            self._rate, self._random_kinds, self._random = rate, kinds, random.Random(seed)

    def always(self, kind: str) -> None:
        """Answer every request with `kind`."""
        self.fault_rate(1.0, kinds=[kind])

    def latency(self, seconds: float) -> None:
        """Wait this long before answering every request (a constant network and queueing delay)."""
        with self._lock:
            self._latency_s = seconds

    def reset_counts(self) -> None:
        with self._lock:
            self._served.clear()
            self.counts.clear()

    # --- what happened ------------------------------------------------------------------
    @property
    def total(self) -> int:
        with self._lock:
            return len(self._served)

    def served(self, *, stage: str | None = None) -> list[Served]:
        with self._lock:
            return [s for s in self._served if stage is None or s.stage == stage]

    # --- life cycle ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "the server is not running"
        return f"http://{self._host}:{self._httpd.server_address[1]}/v1"

    def start(self) -> "FaultServer":
        self._httpd = _HTTPServer((self._host, 0), _Handler, owner=self)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fault-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stops accepting, wakes every hanging or sleeping answer and drops every connection."""
        self._stopping.set()
        if self._httpd is None:
            return
        self._httpd.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "FaultServer":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- serving (called from the server's threads) --------------------------------------
    def _next_kind(self, stage: str, path: str) -> str:
        with self._lock:
            queue = self._plans.get(stage) or self._plans.get(None)
            if queue:
                kind = queue.popleft()
            elif self._rate and self._random.random() < self._rate:
                kind = self._random.choice(self._random_kinds)
            else:
                kind = "ok"
            self._served.append(Served(kind=kind, stage=stage, path=path, at=time.monotonic()))
            self.counts[kind_name(kind)] += 1
            return kind

    def _sleep(self, seconds: float) -> None:
        self._stopping.wait(seconds)

    def _track(self, connection: socket.socket, *, open_: bool) -> None:
        with self._lock:
            (self._connections.add if open_ else self._connections.discard)(connection)

    def _answer(self, handler: "_Handler") -> None:
        path = urlsplit(handler.path).path
        raw = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        if path not in (CHAT_PATH, COMPLETIONS_PATH):
            _Reply(handler, self, chat=True, answer="").error(404, "no such endpoint")
            return
        try:
            body = json.loads(raw)
        except ValueError:
            _Reply(handler, self, chat=True, answer="").error(400, "the body is not JSON")
            return
        chat = path == CHAT_PATH
        prompt = body["messages"][-1]["content"] if chat else body.get("prompt", "")
        stage, answer = answer_for(prompt, chat=chat)
        kind = self._next_kind(stage, path)
        with self._lock:
            latency_s = self._latency_s
        if latency_s:
            self._sleep(latency_s)
        _Reply(handler, self, chat=chat, answer=answer, stream=bool(body.get("stream"))).send(kind)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a hanging answer must not hold up stop()
    request_queue_size = 256  # a bench opens many connections at once; a short backlog adds SYN-retry seconds

    def __init__(self, address: tuple[str, int], handler: type, *, owner: FaultServer):
        self.owner = owner
        super().__init__(address, handler)

    def process_request(self, request, client_address) -> None:
        self.owner._track(request, open_=True)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        self.owner._track(request, open_=False)
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        # A client that gave up (its timeout, a reset it caused) is expected; anything else is a bug here.
        exc = sys.exc_info()[1]
        if not isinstance(exc, OSError):
            self.owner.errors.append(traceback.format_exc())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked streams, as real providers speak
    timeout = 10  # an idle keep-alive connection's thread ends after this
    disable_nagle_algorithm = True  # headers and body go out as separate writes; Nagle would add 40 ms
    server: _HTTPServer

    def do_POST(self) -> None:
        self.server.owner._answer(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Reply:
    """One response, written in the shape `kind` asks for."""

    def __init__(self, handler: _Handler, owner: FaultServer, *, chat: bool, answer: str, stream: bool = True):
        self.handler, self.owner, self.chat, self.answer, self.stream = handler, owner, chat, answer, stream

    def send(self, kind: str) -> None:
        name, argument = kind_name(kind), kind_argument(kind)
        if name in HTTP_ERRORS:
            self.error(HTTP_ERRORS[name], f"injected {name}", retry_after_headers(name, argument))
        elif name == "hang":
            self.owner._sleep(argument)
            self.handler.close_connection = True
        elif name == "reset":
            self.reset()
        elif name == "truncated-body":
            full = json.dumps(self.whole_answer(self.answer))
            self.plain(200, full[: len(full) // 2].encode(), "application/json")
        elif not self.stream:
            self.plain(200, json.dumps(self.whole_answer(self.answer)).encode(), "application/json")
        else:
            self.send_stream(name, argument)

    def send_stream(self, name: str, argument: float | None) -> None:
        pieces = [self.answer[i:i + CHUNK_CHARS] for i in range(0, len(self.answer), CHUNK_CHARS)] or [""]
        quota = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": f"{argument:g}"} if name == "quota-exhausted" else {}
        self.start_stream(quota)
        if name == "invalid-json-line":
            self.event('{"choices": [{"index": 0, "delta": {"content": "')
        if name == "empty-choices":
            for _ in pieces:
                self.event(json.dumps({"id": "fault", "model": MODEL, "choices": []}))
            self.finish_stream(len(pieces))
            return
        if name == "truncated-answer":
            pieces = pieces[: max(1, len(pieces) // 2)]
        if name == "mid-stream-error":
            for piece in pieces[: max(1, len(pieces) // 2)]:
                self.event(json.dumps(self.chunk(piece)))
            self.drop()
            return
        for piece in pieces:
            if name == "slow-stream":
                self.owner._sleep(argument)
            self.event(json.dumps(self.chunk(piece)))
        self.event(json.dumps(self.chunk("", finish_reason="stop")))
        self.finish_stream(len(pieces))

    # --- bodies -------------------------------------------------------------------------
    def chunk(self, text: str, *, finish_reason: str | None = None) -> dict[str, Any]:
        choice: dict[str, Any] = {"index": 0, "finish_reason": finish_reason}
        if self.chat:
            choice["delta"] = {"content": text} if text or finish_reason is None else {}
        else:
            choice["text"] = text
        kind = "chat.completion.chunk" if self.chat else "text_completion"
        return {"id": "fault", "object": kind, "model": MODEL, "choices": [choice]}

    def whole_answer(self, text: str) -> dict[str, Any]:
        choice = {"index": 0, "finish_reason": "stop"}
        choice.update({"message": {"role": "assistant", "content": text}} if self.chat else {"text": text})
        return {"id": "fault", "model": MODEL, "choices": [choice], "usage": usage(self.answer, len(text) // 4)}

    # --- wire ---------------------------------------------------------------------------
    def error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        body = {"error": {"message": message, "type": "injected_fault", "code": str(status)}}
        self.plain(status, json.dumps(body).encode(), "application/json", headers)

    def plain(self, status: int, content: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.handler.send_response(status)
        self.handler.send_header("Content-Type", content_type)
        self.handler.send_header("Content-Length", str(len(content)))
        for name, value in (headers or {}).items():
            self.handler.send_header(name, value)
        self.handler.end_headers()
        self.handler.wfile.write(content)

    def start_stream(self, headers: dict[str, str]) -> None:
        self.handler.send_response(200)
        self.handler.send_header("Content-Type", "text/event-stream")
        self.handler.send_header("Cache-Control", "no-cache")
        self.handler.send_header("Transfer-Encoding", "chunked")
        for name, value in headers.items():
            self.handler.send_header(name, value)
        self.handler.end_headers()

    def event(self, payload: str) -> None:
        data = f"data: {payload}\n\n".encode()
        self.handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def finish_stream(self, output_tokens: int) -> None:
        self.event(json.dumps({"id": "fault", "model": MODEL, "choices": [], "usage": usage(self.answer, output_tokens)}))
        self.event("[DONE]")
        self.handler.wfile.write(b"0\r\n\r\n")

    def drop(self) -> None:
        """End the connection in the middle of the chunked body: the client sees an incomplete message."""
        self.handler.close_connection = True
        with contextlib.suppress(OSError):
            self.handler.connection.shutdown(socket.SHUT_RDWR)

    def reset(self) -> None:
        """Close with SO_LINGER 0, which sends a TCP RST: the client reads 'connection reset'."""
        self.handler.close_connection = True
        connection = self.handler.connection
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()


def usage(prompt_or_answer: str, output_tokens: int) -> dict[str, int]:
    return {"prompt_tokens": max(1, len(prompt_or_answer) // 4), "completion_tokens": output_tokens}


def retry_after_headers(name: str, argument: float | None) -> dict[str, str]:
    if name in ("429-seconds", "429-huge"):
        return {"Retry-After": f"{argument:g}"}
    if name == "429-date":
        return {"Retry-After": formatdate(time.time() + argument, usegmt=True)}
    if name == "429-ms":
        return {"retry-after-ms": f"{argument:g}"}
    if name == "429-malformed":
        return {"Retry-After": "soon"}
    return {}
