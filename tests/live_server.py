"""The whole product started the way `make run` starts it: migrate, seed_demo, then `bin/serve`
(uvicorn and a django-q2 cluster) with DEBUG off, the real settings (`config.settings`: manifest
static files served by WhiteNoise) and a database of its own, so what a test does to it never
touches the test database.

On PostgreSQL (DATABASE_URL set) the server gets a fresh database beside the test database;
otherwise a SQLite file in its own var directory. On Redis (REDIS_URL set) it gets a Redis
database of its own, emptied.
"""

import itertools
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import httpx

logger = logging.getLogger(__name__)
BASE_DIR = Path(__file__).resolve().parent.parent
STATIC_ROOT = BASE_DIR / "var" / "static"
STARTUP_DEADLINE_S = 60
# What the issue promises a person who presses Ctrl-C.
STOP_LIMIT_S = 10
DEMO_PASSWORD = "browser-suite-" + secrets.token_urlsafe(8)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_postgres_database(url: str, name: str) -> str:
    """DATABASE_URL with its database replaced by an empty one called `name`."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


# Redis databases for the servers this suite starts (1–15; the tests' own processes use REDIS_URL's):
# a server's cache entries and queued tasks must not reach another server, whose database differs.
_redis_databases = itertools.cycle(range(1, 16))


def fresh_redis_database(url: str) -> str:
    """REDIS_URL with its database replaced by the next of 1–15, emptied."""
    import redis

    parts = urlsplit(url)
    fresh = urlunsplit(parts._replace(path=f"/{next(_redis_databases)}"))
    redis.Redis.from_url(fresh).flushdb()
    return fresh


def server_env(var_dir: Path, port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("SQLITE_PATH", "DJANGO_SETTINGS_MODULE", "ENGINE_URL")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_STATIC_ROOT": str(STATIC_ROOT),
        "ENERGY_VAR_DIR": str(var_dir),
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "Q_POLL_S": "0.1",
        "ENGINE_PORT": str(free_port()),  # bin/serve starts an engine of its own
        "PYTHONUNBUFFERED": "1",
        # Requests are counted against their keys' limits, as in production, but tests (and
        # Schemathesis) send many with one key: limits that never bind.
        "API_KEY_RATE_PER_MINUTE": "1000000", "API_KEY_RATE_BURST": "10000",
        "API_KEY_DAILY_QUOTA": "1000000", "API_KEY_MAX_QUEUED": "1000",
    })
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = fresh_postgres_database(os.environ["DATABASE_URL"], f"energy_live_{port}")
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = fresh_redis_database(os.environ["REDIS_URL"])
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def collect_static_once(env: dict[str, str]) -> None:
    """`make run` and `make test` collect static files into var/static; a bare `pytest` may not have."""
    if not (STATIC_ROOT / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, from /proc (the servers run in process groups of their own)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def running(pids: set[int]) -> set[int]:
    """The pids that are still processes (zombies count as gone: they hold nothing)."""
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


@dataclass
class LiveServer:
    process: subprocess.Popen
    base_url: str
    env: dict[str, str]
    api_key: str
    log_path: Path
    password: str = DEMO_PASSWORD
    stopped_in_s: float | None = field(default=None)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def manage(self, *args: str) -> str:
        return manage(self.env, *args)

    def processes(self) -> set[int]:
        return {self.process.pid} | descendants(self.process.pid)

    def stop(self, sig: int = signal.SIGINT, *, whole_group: bool = True) -> set[int]:
        """Ctrl-C (SIGINT to the foreground process group) or a signal to bin/serve alone; returns
        the processes still running after STOP_LIMIT_S (killed then, so nothing outlives a test)."""
        before = self.processes()
        started = time.monotonic()
        if whole_group:
            os.killpg(self.process.pid, sig)
        else:
            self.process.send_signal(sig)
        while running(before) and time.monotonic() - started < STOP_LIMIT_S:
            time.sleep(0.05)
        self.stopped_in_s = time.monotonic() - started
        left = running(before)
        logger.info("bin/serve: %d processes, %s to %s, stopped in %.2f s; %d left",
                    len(before), signal.Signals(sig).name, "the process group" if whole_group else "bin/serve",
                    self.stopped_in_s, len(left))
        for pid in left:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        return left


class Started(Protocol):
    """A server process this suite started: its process, where it listens, what it printed."""

    process: subprocess.Popen
    base_url: str

    def log(self) -> str: ...


def wait_until_healthy(server: Started, *, engine: bool = True) -> None:
    """Until /api/v1/health answers, and says "up" when the server has an `engine` of its own (it
    is "degraded" until the engine has loaded its model)."""
    deadline = time.monotonic() + STARTUP_DEADLINE_S
    while True:
        assert server.process.poll() is None, f"bin/serve exited:\n{server.log()}"
        try:
            health = httpx.get(f"{server.base_url}/api/v1/health", timeout=1)
            if health.status_code == 200 and (not engine or health.json()["status"] == "up"):
                return
        except (httpx.TransportError, ValueError):
            pass
        assert time.monotonic() < deadline, f"not healthy after {STARTUP_DEADLINE_S} s:\n{server.log()}"
        time.sleep(0.2)


def start_live_server(var_dir: Path, *, engine: bool = True, **extra_env: str) -> LiveServer:
    """migrate, seed_demo, bin/serve, as `make run` does; healthy when this returns. With
    `engine=False` (e.g. ENGINE_URL naming a closed port, so bin/serve starts no engine) healthy
    means /api/v1/health answers, whatever it says of the engine."""
    var_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**server_env(var_dir, port), **extra_env}
    collect_static_once(env)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    seeded = manage(env, "seed_demo")
    api_key = re.search(r"^API key: (\S+)$", seeded, re.MULTILINE).group(1)
    return serve(env, var_dir, api_key=api_key, engine=engine)


def serve(env: dict[str, str], var_dir: Path, *, api_key: str, engine: bool = True) -> LiveServer:
    """bin/serve with `env` on a database that is already migrated and seeded; healthy when this returns."""
    var_dir.mkdir(parents=True, exist_ok=True)
    log_path = var_dir / "serve.log"
    with log_path.open("wb") as log:
        # A session of its own, as a terminal gives a foreground job a process group of its own,
        # with SIGINT at its default (a background job of a shell would have it ignored).
        process = subprocess.Popen(["bin/serve"], cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    server = LiveServer(process=process, base_url=f"http://127.0.0.1:{env['PORT']}", env=env, api_key=api_key,
                        log_path=log_path)
    try:
        wait_until_healthy(server, engine=engine)
    except BaseException:
        server.stop()
        raise
    return server


def start_second_server(first: LiveServer, var_dir: Path, *, engine: bool = True, **extra_env: str) -> LiveServer:
    """Another bin/serve beside `first`, as a second machine would run one: the same environment
    (the same database and Redis, no migrate or seed), its own port, var directory (metrics
    files, log) and engine port. Stop it before `first`, whose end drops the database."""
    port = free_port()
    env = {**first.env, "PORT": str(port), "ENERGY_VAR_DIR": str(var_dir), "ENGINE_PORT": str(free_port()),
           **extra_env}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # bin/serve puts it in ENERGY_VAR_DIR
    return serve(env, var_dir, api_key=first.api_key, engine=engine)


def drop_postgres_database(server: LiveServer) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{urlsplit(server.env["DATABASE_URL"]).path[1:]}" WITH (FORCE)')


@contextmanager
def live_server(var_dir: Path, *, engine: bool = True, **extra_env: str) -> Iterator[LiveServer]:
    server = start_live_server(var_dir, engine=engine, **extra_env)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.stop()
        if os.environ.get("DATABASE_URL"):
            drop_postgres_database(server)
