"""Provider faults as pytest-httpx replies, and a server that plays a script of them per host."""

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from tests.energy.llm.streams import chat_stream, delta, sse

RETRYABLE_STATUSES = (408, 409, 429, 500, 502, 503, 504)
CLIENT_ERRORS = (400, 401, 403, 404, 405, 410, 413, 422)


@dataclass(frozen=True)
class Fault:
    """What the provider does with one request: ok | status | timeout | reset | garbage | broken."""

    kind: str
    status: int = 200
    retry_after_s: float | None = None

    @property
    def transient(self) -> bool:
        """Whether the product should retry it (the rule under test, stated independently)."""
        return self.kind in ("timeout", "reset", "broken") or (self.kind == "status" and self.status in RETRYABLE_STATUSES)

    def respond(self, answer: str = "OK") -> httpx.Response:
        if self.kind == "timeout":
            raise httpx.ReadTimeout("timed out")
        if self.kind == "reset":
            raise httpx.ConnectError("connection reset by peer")
        if self.kind == "status":
            headers = {} if self.retry_after_s is None else {"Retry-After": repr(self.retry_after_s)}
            return httpx.Response(self.status, headers=headers, json={"error": {"message": f"fault {self.status}"}})
        if self.kind == "garbage":
            return httpx.Response(200, content=sse("{not json"))
        if self.kind == "broken":
            return httpx.Response(200, content=sse(delta("Plan"), delta(" A")))  # no finish, no [DONE]
        return httpx.Response(200, content=chat_stream(answer))


OK = Fault("ok")


class ScriptedServer:
    """A pytest-httpx callback for every URL: each host plays its own faults, one per request,
    then answers `answer(request)`."""

    def __init__(self, answer: Callable[[httpx.Request], str] = lambda request: "OK"):
        self.answer = answer
        self.scripts: dict[str, deque[Fault]] = {}
        self.hosts: list[str] = []  # one per request received

    def play(self, host: str, faults: list[Fault]) -> None:
        self.scripts[host] = deque(faults)

    def reset(self) -> None:
        self.scripts.clear()
        self.hosts.clear()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        script = self.scripts.get(request.url.host)
        fault = script.popleft() if script else OK
        return fault.respond(self.answer(request))
