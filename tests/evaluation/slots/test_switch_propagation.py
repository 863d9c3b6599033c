"""A switch reaches every server process: two real ASGI server processes on the test database,
serving the rules-kind models of tests/conftest.py."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from evaluation.models import Slot
from evaluation.slots.actions import switch_slot
from tests.conftest import BASE_DIR, database_env
from tests.energy.api.payloads import recommendation_body
from tests.live_server import free_port, wait_until_healthy


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


# DESIGN.md: a switch is visible in every process within one second of its commit.
PROPAGATION_S = 1.0


def narrative_model(server, auth_headers) -> str:
    response = httpx.post(f"{server.base_url}/api/v1/recommendations", json=recommendation_body(mode="fast"),
                          headers=auth_headers, timeout=30)
    assert response.status_code == 200, f"{response.text}\n{server.log()}"
    return response.json()["metadata"]["models"]["narrative"]


@pytest.mark.cluster
@pytest.mark.django_db(transaction=True)
def test_it_serves_the_new_model_from_every_server_process_a_second_after_a_switch(
    plans, auth_headers, rules_model, rules_a, rules_b, two_servers,
):
    Slot.objects.create(name="fast", model=rules_a)
    Slot.objects.create(name="accurate", model=rules_model)
    assert [narrative_model(server, auth_headers) for server in two_servers] == ["test/rules-a", "test/rules-a"]

    switch_slot("fast", rules_b, acting_user=None, reason="propagation test")
    time.sleep(PROPAGATION_S)

    assert [narrative_model(server, auth_headers) for server in two_servers] == ["test/rules-b", "test/rules-b"]
