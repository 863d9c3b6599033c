"""Two deployments of `bin/serve` on one PostgreSQL and one Redis database, and how to tell
from the kernel which of their processes did what: the harness of tests/serve/test_scale_out.py
(the deployments, their fake providers, the requests and the process table)."""

import io
import itertools
import json
import os
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.fakes.fault_server import FaultServer
from tests.live_server import LiveServer

STAGES = ("usage_summary", "plan_scoring", "narrative")
RULES = "builtin/rules"
SERVING = "scale/serving"  # answers every stage correctly
FAILING = "scale/failing"  # answers 500, for the breaker
BENCH = "scale/bench"  # benchmarked
WEB_CONCURRENCY = 2
# Both deployments get the same environment (B copies A's). ENGINE_URL names a closed port, so
# neither starts an engine of its own: the embedded model is not what this test is about.
DEPLOYMENT_ENV = {
    "WEB_CONCURRENCY": str(WEB_CONCURRENCY),
    "Q_WORKERS": "2",
    "ENGINE_URL": "http://127.0.0.1:9",
    # A dead cluster's units come back after 5 s instead of 2 minutes; the documented order of
    # the limits is kept: driver budget < task timeout, deadline < task timeout < stale.
    "BENCHMARK_LEASE_S": "5",
    "BENCHMARK_DRIVER_BUDGET_S": "5",
    "Q_TIMEOUT_S": "15",
    "REQUEST_DEADLINE_S": "8",
    "STALE_RECOMMENDATION_S": "16",
    # Once open, the failing model's breaker stays open for the rest of the module: no probe call.
    "BREAKER_OPEN_S": "300",
}
USAGE = [900, 850, 800, 900, 1100, 1500, 1800, 1900, 1500, 1100, 900, 950]


# --- which process owns a connection --------------------------------------------------------
class Role(NamedTuple):
    deployment: str  # "A" | "B"
    kind: str  # "web" (a uvicorn worker) | "cluster" (any process of the django-q2 cluster)
    pid: int

    def __str__(self) -> str:
        return f"{self.deployment}/{self.kind}/{self.pid}"

    @property
    def process(self) -> str:
        """A web worker by pid; a cluster as a whole."""
        return str(self) if self.kind == "web" else f"{self.deployment}/cluster"


def process_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, process group), from /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            table[int(entry.name)] = (int(fields[1]), int(fields[2]))
    return table


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def tcp_inode(local_port: int, remote_port: int) -> int | None:
    """The socket inode of the loopback TCP connection from local_port to remote_port."""
    local, remote = f"0100007F:{local_port:04X}", f"0100007F:{remote_port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == local and fields[2] == remote and fields[9] != "0":
            return int(fields[9])
    return None


def socket_owners(inode: int, pids: set[int]) -> set[int]:
    target = f"socket:[{inode}]"
    owners = set()
    for pid in pids:
        with suppress(OSError):
            for fd in os.scandir(f"/proc/{pid}/fd"):
                with suppress(OSError):
                    if os.readlink(fd.path) == target:
                        owners.add(pid)
                        break
    return owners


@dataclass
class Topology:
    """The processes of each deployment: its uvicorn workers and its cluster's process group."""

    servers: dict[str, LiveServer]
    web: dict[int, str] = field(default_factory=dict)  # uvicorn worker pid -> deployment
    web_groups: dict[int, str] = field(default_factory=dict)  # uvicorn's process group -> deployment
    cluster_groups: dict[str, int] = field(default_factory=dict)  # deployment -> the cluster's process group
    _processes: set[int] = field(default_factory=set)
    _owners: dict[int, Role | None] = field(default_factory=dict)  # socket inode -> its process

    def __post_init__(self) -> None:
        deadline = time.monotonic() + 20
        while True:
            table = process_table()
            self.web.clear()
            for name, server in self.servers.items():
                children = [pid for pid, (parent, _) in table.items() if parent == server.process.pid]
                uvicorn = next(pid for pid in children if "uvicorn" in command_line(pid))
                self.web_groups[table[uvicorn][1]] = name
                self.cluster_groups[name] = next(table[pid][1] for pid in children if "qcluster" in command_line(pid))
                self.web.update({pid: name for pid, (parent, _) in table.items()
                                 if parent == uvicorn and "spawn_main" in command_line(pid)})
            if len(self.web) == WEB_CONCURRENCY * len(self.servers):
                return
            assert time.monotonic() < deadline, f"uvicorn workers: {self.web}"
            time.sleep(0.2)

    def web_workers(self) -> set[str]:
        return {str(Role(name, "web", pid)) for pid, name in self.web.items()}

    def processes(self, *, cached: bool = False) -> set[int]:
        """Every process of the deployments (`cached`: as last found)."""
        if cached and self._processes:
            return self._processes
        table = process_table()
        found: set[int] = set()
        todo = [server.process.pid for server in self.servers.values()]
        while todo:
            parent = todo.pop()
            for pid, (ppid, _) in table.items():
                if ppid == parent and pid not in found:
                    found.add(pid)
                    todo.append(pid)
        self._processes = found
        return found

    def role_of(self, pid: int) -> Role | None:
        with suppress(ProcessLookupError):
            group = os.getpgid(pid)
            if group in self.web_groups:
                return Role(self.web_groups[group], "web", pid)
            for name, cluster_group in self.cluster_groups.items():
                if group == cluster_group:
                    return Role(name, "cluster", pid)
        return None

    def owner(self, local_port: int, remote_port: int) -> Role | None:
        """Which process of the deployments holds the connection local_port -> remote_port."""
        inode = tcp_inode(local_port, remote_port)
        if inode is None:
            return None
        if inode not in self._owners:  # an inode names one socket for as long as it is open
            owners = socket_owners(inode, self.processes(cached=True)) or socket_owners(inode, self.processes())
            roles = {self.role_of(pid) for pid in owners} - {None}
            # A socket a process inherited across a fork belongs to its whole group: any of them names it.
            self._owners[inode] = min(roles, default=None)
        return self._owners[inode]


class Call(NamedTuple):
    stage: str
    role: Role | None
    at: float  # time.monotonic()
    body: bytes  # the request's, prompt included


class TracedFaultServer(FaultServer):
    """The fault server, also noting which process of the deployments sent each request."""

    def __init__(self) -> None:
        super().__init__()
        self.topology: Topology | None = None
        self.calls: list[Call] = []
        self._request = threading.local()

    def _answer(self, handler) -> None:
        topology, port = self.topology, self._httpd.server_address[1]
        self._request.role = None if topology is None else topology.owner(handler.client_address[1], port)
        # Read the body here, and hand the server a copy of it.
        self._request.body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        connection = handler.rfile
        handler.rfile = io.BytesIO(self._request.body)
        try:
            super()._answer(handler)
        finally:
            handler.rfile = connection  # the next request on the connection

    def _next_kind(self, stage: str, path: str) -> str:
        kind = super()._next_kind(stage, path)
        with self._lock:
            self.calls.append(Call(stage, self._request.role, time.monotonic(), self._request.body))
        return kind

    def reset_counts(self) -> None:
        super().reset_counts()
        with self._lock:
            self.calls.clear()

    def callers(self, recommendation: dict) -> set[Role]:
        """Which processes ran the usage summary of this recommendation request (found by its usage
        figures in the prompt)."""
        fingerprint = f"average {sum(recommendation['monthly_usage_kwh']) / 12:,.0f} kWh a month".encode()
        return {c.role for c in self.pipeline_calls() if c.stage == "usage_summary" and c.role and fingerprint in c.body}

    def pipeline_calls(self) -> list[Call]:
        """Calls of the pipeline's stages (not probes, whose prompt is none of them)."""
        with self._lock:
            return [call for call in self.calls if call.stage in STAGES]


# --- the deployments --------------------------------------------------------------------------
@dataclass
class Answer:
    deployment: str
    worker: Role | None
    status: int
    body: Any
    sent: float
    received: float

    @property
    def metadata(self) -> dict:
        return self.body["metadata"]


@dataclass
class Pinned:
    """A keep-alive connection held to one uvicorn worker, so that worker can be asked again and again."""

    deployments: "Deployments"
    deployment: str
    worker: str
    client: httpx.Client

    def recommend(self, body: dict) -> Answer:
        sent = time.monotonic()
        response = self.client.post("/api/v1/recommendations", json=body)
        received = time.monotonic()
        worker = self.deployments.worker_of(self.deployment, response)
        assert str(worker) == self.worker, f"the connection to {self.worker} went to {worker}"
        return Answer(self.deployment, worker, response.status_code, response.json(), sent, received)


CATALOG = """
from evaluation.models import AIModel, Provider
for key, base_url in MODELS.items():
    provider, _ = Provider.objects.update_or_create(name=key.replace("/", "-"), defaults={
        "kind": Provider.Kind.OPENAI_COMPATIBLE, "base_url": base_url, "secret_env": "",
        "connect_timeout_s": 1.0, "read_timeout_s": 3.0, "enabled": True})
    AIModel.objects.update_or_create(key=key, defaults={
        "display_name": key, "provider": provider, "provider_model": "fault-chat",
        "prompt_style": AIModel.PromptStyle.CHAT, "status": AIModel.Status.ENABLED})
"""


@dataclass
class Deployments:
    servers: dict[str, LiveServer]
    topology: Topology
    operator_key: str
    serving: TracedFaultServer
    failing: TracedFaultServer
    bench: TracedFaultServer
    numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def api_key(self) -> str:
        return self.servers["A"].api_key

    def body(self, mode: str = "fast") -> dict:
        """A recommendation request no other of the module makes (a response-cache miss)."""
        number = next(self.numbers)
        return {"monthly_usage_kwh": [kwh + number for kwh in USAGE], "top_n": 3, "mode": mode}

    def call(self, deployment: str, method: str, path: str, *, key: str | None = None, **kwargs) -> Answer:
        """One request on a connection of its own, and which uvicorn worker answered it."""
        with self.client(deployment, key=key) as client:
            sent = time.monotonic()
            response = client.request(method, path, **kwargs)
            received = time.monotonic()
            worker = self.worker_of(deployment, response)
        is_json = "json" in response.headers.get("content-type", "")
        return Answer(deployment, worker, response.status_code, response.json() if is_json else response.text, sent, received)

    def client(self, deployment: str, *, key: str | None = None) -> httpx.Client:
        # Plain HTTP on loopback: verify=False spares every client loading the CA bundle.
        return httpx.Client(base_url=self.servers[deployment].base_url, timeout=30, verify=False,
                            headers={"Authorization": f"Bearer {key or self.api_key}"})

    def worker_of(self, deployment: str, response: httpx.Response) -> Role | None:
        """The uvicorn worker at the other end of the (still open) connection that got `response`."""
        client_port = response.extensions["network_stream"].get_extra_info("client_addr")[1]
        return self.topology.owner(int(self.servers[deployment].env["PORT"]), client_port)

    @contextmanager
    def pinned_workers(self, *, timeout_s: float = 20) -> Iterator[list[Pinned]]:
        """A keep-alive connection to each uvicorn worker of both deployments: connections are
        opened (and kept) until each worker has accepted one."""
        pinned: dict[str, Pinned] = {}
        with ExitStack() as stack:
            deadline = time.monotonic() + timeout_s
            while pinned.keys() < self.topology.web_workers():
                assert time.monotonic() < deadline, f"connections reached only {sorted(pinned)}"
                for name in self.servers:
                    client = stack.enter_context(self.client(name))
                    worker = str(self.worker_of(name, client.get("/api/v1/health")))
                    pinned.setdefault(worker, Pinned(self, name, worker, client))
            yield [pinned[worker] for worker in sorted(pinned)]

    def recommend(self, deployment: str, body: dict, *, wait: bool = True) -> Answer:
        return self.call(deployment, "POST", "/api/v1/recommendations" + ("" if wait else "?wait=false"), json=body)

    def switch(self, slot: str, model: str, *, force: bool = False) -> Answer:
        answer = self.call("A", "PUT", f"/api/v1/slots/{slot}", key=self.operator_key,
                           json={"model": model, "reason": f"scale-out test: {slot} on {model}", "force": force})
        assert answer.status == 200, answer.body
        assert answer.body["model"] == model
        return answer

    def scrape(self, deployment: str) -> Answer:
        return self.call(deployment, "GET", "/metrics")

    def sweep(self, send: Callable[[str], Answer], *, burst: int = 3, timeout_s: float = 20) -> list[Answer]:
        """Bursts of `burst` concurrent requests to each deployment, each on a connection of its own,
        until every uvicorn worker of both has answered at least one."""
        answers: list[Answer] = []
        deadline = time.monotonic() + timeout_s
        with ThreadPoolExecutor(max_workers=burst * len(self.servers)) as pool:
            while True:
                futures = [pool.submit(send, name) for name in self.servers for _ in range(burst)]
                answers += [future.result() for future in futures]
                answered = {str(answer.worker) for answer in answers}
                if self.topology.web_workers() <= answered:
                    return answers
                assert time.monotonic() < deadline, (
                    f"not every uvicorn worker answered within {timeout_s} s: {Counter(map(str, (a.worker for a in answers)))}, "
                    f"workers {sorted(self.topology.web_workers())}")

    def wait_for(self, ids: list[str], *, timeout_s: float = 30) -> list[dict]:
        """The queued recommendations, once each is succeeded or failed."""
        deadline = time.monotonic() + timeout_s
        while True:
            states = [self.call("A", "GET", f"/api/v1/recommendations/{rid}").body for rid in ids]
            if all(state["status"] in ("succeeded", "failed") for state in states):
                return states
            assert time.monotonic() < deadline, [(state["id"], state["status"]) for state in states]
            time.sleep(0.2)

    def shell(self, script: str) -> Any:
        """A script run by manage.py shell on the shared database; its last line is JSON."""
        return json.loads(self.servers["A"].manage("shell", "-c", script).strip().splitlines()[-1])

    def start_benchmark(self, *, repetitions: int, concurrency: int) -> int:
        answer = self.call("A", "POST", "/api/v1/benchmarks", key=self.operator_key, json={
            "suite": "standard", "routes": [BENCH], "repetitions": repetitions, "warmup_repetitions": 0,
            "concurrency": concurrency, "label": "scale-out"})
        assert answer.status in (200, 201, 202), answer.body
        return answer.body["id"]

    def benchmark_state(self, run_id: int) -> dict:
        return self.shell(BENCHMARK_STATE.replace("RUN_ID", str(run_id)))


def median(values: Iterable[float]) -> float:
    return round(statistics.median(values), 3)


def seconds_between(earlier: str, later: str) -> float:
    return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds()


def breaker_state(metrics_text: str, model: str) -> str | None:
    for family in text_string_to_metric_families(metrics_text):
        for sample in family.samples:
            if (sample.name == "energygenius_circuit_breaker_state" and sample.labels.get("model") == model
                    and sample.value == 1):
                return sample.labels["state"]
    return None


BENCHMARK_STATE = """
import json
from energy.models import LLMCall
from evaluation.models import BenchmarkRun, BenchmarkUnit
calls = {}
for c in LLMCall.objects.filter(context__startswith="benchmark:RUN_ID:").order_by("started_at"):
    calls.setdefault(int(c.context.rsplit(":", 1)[1]), []).append(
        {"stage": c.stage, "status": c.status, "error": c.error_class, "started": c.started_at.timestamp()})
print(json.dumps({
    "run": BenchmarkRun.objects.get(pk=RUN_ID).status,
    "units": [{"id": u.pk, "status": u.status, "attempts": u.attempts, "error": u.error, "calls": calls.get(u.pk, [])}
              for u in BenchmarkUnit.objects.filter(run_id=RUN_ID)],
}))
"""
