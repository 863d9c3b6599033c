"""Stopping cleanly: a task worker hands its work back, a web server answers what it cuts off.

`bin/serve` turns Ctrl-C (or its own SIGTERM) into one SIGINT for the cluster's process group.
django-q2's workers ignore SIGINT and finish the task they hold before they read their stop
pill, and a benchmark driver may hold its task for minutes. So each worker installs `request`
as its SIGINT handler (`install_worker_handler`, on django-q2's `post_spawn`): from then on
`requested()` is true, and every coroutine running under `interruptible` is cancelled, so that
its task can put the work back and return within seconds.

uvicorn, stopping, cancels requests still running after its graceful timeout, and answers 500
for each one that had not started its response. `StoppingAnswers503` (around the ASGI app)
answers those with a 503 problem and `Retry-After` instead: the request was fine, the server
went away. The request itself is recorded as cancelled (energy.actions).
"""

import asyncio
import contextlib
import json
import signal
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")

# A plain flag and set, no lock: the signal handler runs in the main thread between two
# bytecodes, and a lock held by that same thread at that moment would deadlock it.
_stop_requested = False
_running: set[tuple[asyncio.AbstractEventLoop, asyncio.Task]] = set()


class ShuttingDown(Exception):
    """The process is stopping: the work was not finished and belongs back in its queue."""


def requested() -> bool:
    return _stop_requested


def request(signum: int | None = None, frame: object = None) -> None:
    """Ask this process to stop: cancel everything running under `interruptible`."""
    global _stop_requested
    _stop_requested = True
    for loop, task in list(_running):  # a copy: another thread's loop may add or discard meanwhile
        with contextlib.suppress(RuntimeError):  # its loop is closed already (at interpreter exit)
            loop.call_soon_threadsafe(task.cancel)


def reset() -> None:
    """Forget a stop request (for tests, which run many workers' lives in one process)."""
    global _stop_requested
    _stop_requested = False


async def interruptible(awaitable: Awaitable[T]) -> T:
    """Await `awaitable`, or raise ShuttingDown if the process is asked to stop first."""
    if _stop_requested:
        raise ShuttingDown("the process is stopping")
    task = asyncio.ensure_future(awaitable)
    entry = (asyncio.get_running_loop(), task)
    _running.add(entry)
    if _stop_requested:  # asked between the check above and the registration
        task.cancel()
    try:
        return await task
    except asyncio.CancelledError:
        outer = asyncio.current_task()
        if _stop_requested and not (outer is not None and outer.cancelling()):
            raise ShuttingDown("the process is stopping") from None
        raise
    finally:
        _running.discard(entry)


def install_worker_handler(**signal_kwargs: object) -> None:
    """django-q2 `post_spawn` receiver: in a worker, SIGINT means "stop soon", not "ignore"."""
    signal.signal(signal.SIGINT, request)


STOPPING_PROBLEM = json.dumps({
    "type": "https://energygenius.example/problems/503", "title": "Server stopping", "status": 503,
    "detail": "the server stopped before it could answer; send the request again "
              "(a recommendation cut off this way is recorded as cancelled)",
    "errors": [],
}).encode()


class StoppingAnswers503:
    """ASGI middleware: an HTTP request cancelled before its response started gets a 503."""

    def __init__(self, app: Callable[..., Awaitable[None]]):
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        started = False

        async def tracking_send(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except asyncio.CancelledError:
            if scope["type"] != "http" or started:
                raise
            with contextlib.suppress(Exception):  # the client may be gone too
                await send({"type": "http.response.start", "status": 503, "headers": [
                    (b"content-type", b"application/problem+json"), (b"retry-after", b"5"),
                    (b"content-length", str(len(STOPPING_PROBLEM)).encode()), (b"connection", b"close")]})
                await send({"type": "http.response.body", "body": STOPPING_PROBLEM})
