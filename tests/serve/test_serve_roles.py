"""`SERVE_ROLES` picks what one machine runs (docs/deploy.md, several machines): a web node runs
uvicorn and no cluster, and a mistyped role stops bin/serve before it starts anything."""

import contextlib
import signal
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.live_server import BASE_DIR, live_server

pytestmark = pytest.mark.cluster

NO_ENGINE = {"ENGINE_URL": "http://127.0.0.1:9"}  # a closed port: bin/serve starts no engine


def commands(pids: set[int]) -> list[str]:
    found = []
    for pid in pids:
        with contextlib.suppress(OSError):  # it ended meanwhile
            found.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode())
    return found


def test_a_web_node_serves_the_api_and_runs_no_cluster(tmp_path):
    with live_server(tmp_path, engine=False, SERVE_ROLES="web", **NO_ENGINE) as server:
        running = commands(server.processes())
        assert any("uvicorn" in command for command in running), running
        assert not any("qcluster" in command for command in running), running
        assert httpx.get(f"{server.base_url}/api/v1/health", timeout=5).status_code == 200
        assert not server.stop(signal.SIGINT)
    assert "running web (Ctrl-C stops)" in server.log()


def test_an_unknown_role_is_refused_before_anything_starts():
    result = subprocess.run(["bin/serve"], cwd=BASE_DIR, env={"PATH": "/usr/bin:/bin", "SERVE_ROLES": "web wbe"},
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "SERVE_ROLES: unknown role 'wbe'" in result.stderr
