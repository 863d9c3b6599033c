"""Two real ASGI server processes on the test database, and the rules-kind models they serve."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from evaluation.models import AIModel, Provider
from tests.conftest import BASE_DIR, database_env

STARTUP_DEADLINE_S = 30


def rules_kind_model(key: str, provider: Provider) -> AIModel:
    return AIModel.objects.create(key=key, display_name=key, provider=provider, provider_model="rules",
                                  prompt_style=AIModel.PromptStyle.RULES)


@pytest.fixture
def rules_a(rules_model) -> AIModel:
    return rules_kind_model("test/rules-a", rules_model.provider)


@pytest.fixture
def rules_b(rules_model) -> AIModel:
    return rules_kind_model("test/rules-b", rules_model.provider)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    base_url: str
    log_path: Path

    def log(self) -> str:
        """What the server printed, to explain a failure."""
        return self.log_path.read_text(errors="replace")


def start_server(log_path: Path) -> Server:
    port = free_port()
    env = {**os.environ, **database_env()}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "energy.asgi:application", "--host", "127.0.0.1", "--port", str(port)],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    return Server(process=process, base_url=f"http://127.0.0.1:{port}", log_path=log_path)


def wait_until_healthy(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_DEADLINE_S
    while True:
        assert server.process.poll() is None, f"the server exited:\n{server.log()}"
        try:
            if httpx.get(f"{server.base_url}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"not healthy after {STARTUP_DEADLINE_S} s:\n{server.log()}"
        time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture
def two_servers(transactional_db, tmp_path) -> Iterator[list[Server]]:
    """Two `uvicorn energy.asgi:application` processes on free loopback ports, healthy, on the
    test database; stopped however the test ends (before the database is flushed)."""
    servers = []
    try:
        for number in (1, 2):
            servers.append(start_server(tmp_path / f"server-{number}.log"))
        for server in servers:
            wait_until_healthy(server)
        yield servers
    finally:
        for server in servers:
            stop(server.process)
