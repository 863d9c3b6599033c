"""Stopping a task worker cleanly: work in progress is cut short and handed back to its queue.

`bin/serve` turns Ctrl-C (or its own SIGTERM) into one SIGINT for the cluster's process group.
django-q2's workers ignore SIGINT and finish the task they hold before they read their stop
pill, and a benchmark driver may hold its task for minutes. So each worker installs `request`
as its SIGINT handler (`install_worker_handler`, on django-q2's `post_spawn`): from then on
`requested()` is true, and every coroutine running under `interruptible` is cancelled, so that
its task can put the work back and return within seconds.
"""

import asyncio
import signal
from collections.abc import Awaitable
from typing import TypeVar

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
