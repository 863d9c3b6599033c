"""The real inference engine (llama-server on the embedded Gemma), started for the tests that
need it, on a port of its own."""

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from energy.engine.process import command, environment
from tests.live_server import free_port

STARTUP_DEADLINE_S = 60


@contextmanager
def running_engine(port: int | None = None) -> Iterator[str]:
    """Start an engine and yield its URL once its model is loaded; stop it after."""
    port = port or free_port()
    process = subprocess.Popen(command(port=port), env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(process, url)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_ready(process: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + STARTUP_DEADLINE_S
    while True:
        if process.poll() is not None:
            raise AssertionError(f"the engine exited with {process.returncode}:\n{process.stderr.read()}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"the engine was not ready after {STARTUP_DEADLINE_S} s"
        time.sleep(0.1)
