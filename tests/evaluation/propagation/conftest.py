"""Two real ASGI server processes on the test database, and the rules-kind models they serve."""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from evaluation.models import AIModel, Provider
from tests.conftest import BASE_DIR, database_env
from tests.live_server import free_port, wait_until_healthy


def rules_kind_model(key: str, provider: Provider) -> AIModel:
    return AIModel.objects.create(key=key, display_name=key, provider=provider, provider_model="rules",
                                  prompt_style=AIModel.PromptStyle.RULES)


@pytest.fixture
def rules_a(rules_model) -> AIModel:
    return rules_kind_model("test/rules-a", rules_model.provider)


@pytest.fixture
def rules_b(rules_model) -> AIModel:
    return rules_kind_model("test/rules-b", rules_model.provider)



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
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port)],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    return Server(process=process, base_url=f"http://127.0.0.1:{port}", log_path=log_path)



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
    """Two `uvicorn config.asgi:application` processes on free loopback ports, healthy, on the
    test database; stopped however the test ends (before the database is flushed)."""
    servers = []
    try:
        for number in (1, 2):
            servers.append(start_server(tmp_path / f"server-{number}.log"))
        for server in servers:
            wait_until_healthy(server, engine=False)  # these serve no model
        yield servers
    finally:
        for server in servers:
            stop(server.process)
