"""The product's API served by real uvicorn processes on loopback, for the benches that drive
it over HTTP: started on free ports, waited for until /api/v1/health answers, always stopped."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

BASE_DIR = Path(__file__).resolve().parent.parent
STARTUP_DEADLINE_S = 60


@contextmanager
def api_servers(logs: list[Path], env: dict[str, str] | None = None, workers: int = 1) -> Iterator[list[str]]:
    """One uvicorn server per log file (its output goes there), each with `workers` worker
    processes, with this process's environment plus `env`; yields their base URLs once every one
    is healthy, and stops them all after."""
    processes = [(start(log, {**os.environ, "LOG_LEVEL": "WARNING", **(env or {})}, workers), log) for log in logs]
    try:
        deadline = time.monotonic() + STARTUP_DEADLINE_S
        for (process, base_url), log in processes:
            wait_until_healthy(process, base_url, log, deadline)
        yield [base_url for (_, base_url), _ in processes]
    finally:
        stop([process for (process, _), _ in processes])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(log: Path, env: dict[str, str], workers: int = 1) -> tuple[subprocess.Popen, str]:
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "warning", "--workers", str(workers)],
            cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    return process, f"http://127.0.0.1:{port}"


def wait_until_healthy(process: subprocess.Popen, base_url: str, log: Path, deadline: float,
                       health_path: str = "/api/v1/health") -> None:
    while True:
        if process.poll() is not None:
            raise SystemExit(f"the server at {base_url} exited; see {log}")
        try:
            if httpx.get(f"{base_url}{health_path}", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"the server at {base_url} is not healthy after {STARTUP_DEADLINE_S} s; see {log}")
        time.sleep(0.1)


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
