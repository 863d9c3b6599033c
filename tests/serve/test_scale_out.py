"""Scale-out, proven with real processes on PostgreSQL + Redis: two deployments of `bin/serve`
(A and B: two uvicorn processes of two workers each, two django-q2 clusters), started the way
`make run` starts them, on ONE PostgreSQL database and ONE Redis database, as two machines behind
a load balancer would run them. Remote models are real HTTP on loopback (tests/fakes/fault_server.py).

Which process did what is read from the kernel, not from the product (which records no process
or cluster on its rows): the process that owns each TCP connection (/proc/net/tcp and
/proc/<pid>/fd) tells which uvicorn worker answered a request, and which uvicorn worker or
cluster worker process sent a model call; a queued request is traced to the cluster that ran it
by its usage figures in its usage summary's prompt. "Every worker" below means each of the four
uvicorn workers by pid; "a cluster", any process of its process group.

In order (the module's tests share the deployments; the last one kills a cluster):
a) a slot switch (PUT /api/v1/slots/fast) reaches every process within 1 s: each uvicorn worker,
   asked continuously over a keep-alive connection of its own, and each cluster, running queued
   requests, serves the new model within 1 s of the switch; no process serves the old model to a
   request started later, nor goes back to it (each process revalidates its copy of the route
   every LOCAL_COPY_RECHECK_S, so a request started just after the switch may still get the old one);
b) 20 identical concurrent requests, 10 to each deployment, make one set of upstream calls (one
   per stage) and get one answer: the response cache and single flight hold across processes;
c) a breaker opened by requests through A is open in every uvicorn worker of both deployments and
   in /metrics of each, and every process then skips the model (`circuit_open`) without calling it;
d) a benchmark's units are run by both clusters, each unit claimed once and executed once;
e) `kill -9` of B's cluster (its whole process group) in the middle of a benchmark and of queued
   recommendations: the reaper (its schedule runs it every minute; here every second) requeues
   the dead cluster's units and A's cluster finishes them, each unit run again only after the
   cluster running it had died; every queued recommendation ends: those A ran succeeded, those
   B's cluster held fail as `abandoned` (STALE_RECOMMENDATION_S is 16 s here).

Runs in .ci/run's "PostgreSQL + Redis" pass (DATABASE_URL on PostgreSQL and REDIS_URL); skipped
otherwise.
"""

import itertools
import json
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, suppress
from datetime import datetime
from typing import Any

import pytest

from tests.live_server import live_server, running, start_second_server
from tests.serve.deployments import (
    BENCH,
    CATALOG,
    DEPLOYMENT_ENV,
    FAILING,
    RULES,
    SERVING,
    STAGES,
    Answer,
    Call,
    Deployments,
    Pinned,
    Role,
    Topology,
    TracedFaultServer,
    breaker_state,
    median,
    process_table,
    seconds_between,
)

if not (os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")) and os.environ.get("REDIS_URL")):
    pytest.skip("scale-out needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) shared by two deployments: "
                'it runs in .ci/run\'s "PostgreSQL + Redis" pass', allow_module_level=True)

pytestmark = pytest.mark.cluster

PROPAGATION_LIMIT_S = 1.0
MEASURED: dict[str, Any] = {}


@pytest.fixture(scope="module")
def deployments(tmp_path_factory) -> Iterator[Deployments]:
    started = time.monotonic()
    root = tmp_path_factory.mktemp("scale-out")
    with ExitStack() as stack:
        serving, failing, bench = (stack.enter_context(TracedFaultServer()) for _ in range(3))
        a = stack.enter_context(live_server(root / "a", engine=False, **DEPLOYMENT_ENV))
        b = start_second_server(a, root / "b", engine=False)
        stack.callback(lambda: b.process.poll() is None and b.stop())  # before A's end drops the database
        topology = Topology({"A": a, "B": b})
        for server in (serving, failing, bench):
            server.topology = topology
        models = {SERVING: serving.base_url, FAILING: failing.base_url, BENCH: bench.base_url}
        a.manage("shell", "-c", f"MODELS = {models!r}\n{CATALOG}")
        operator_key = a.manage("create_api_key", "scale-out", "--user", "operator").strip().splitlines()[-1]
        deployed = Deployments({"A": a, "B": b}, topology, operator_key, serving, failing, bench)
        deployed.switch("fast", RULES)  # off the embedded model, which has no engine here
        # The default policy gives a fast request's usage summary and plan scoring to the `exact`
        # slot: on the remote model, every process calls it from its first request on.
        deployed.switch("exact", SERVING)
        MEASURED["start_s"] = round(time.monotonic() - started, 1)
        yield deployed
        for server in (serving, failing, bench):
            assert not server.errors, server.errors
    MEASURED["module_s"] = round(time.monotonic() - started, 1)
    print(f"\nscale-out measurements: {json.dumps(MEASURED, indent=1)}")


# --- a) a switch ------------------------------------------------------------------------------
def test_a_switch_applies_in_every_process_within_a_second(deployments):
    d = deployments
    answers: list[Answer] = []  # by the uvicorn workers
    queued: list[tuple[Answer, dict]] = []  # 202s and their bodies: run by the clusters
    polling = threading.Event()

    def poll(worker: Pinned) -> None:
        """Ask one worker for recommendations, one after the other, until told to stop."""
        while not polling.is_set():
            answers.append(worker.recommend(d.body()))
            polling.wait(0.02)

    def queue() -> None:
        """A queued request every 0.25 s, to each deployment in turn, until told to stop."""
        while not polling.is_set():
            body = d.body()
            queued.append((d.recommend("AB"[len(queued) % 2], body, wait=False), body))
            polling.wait(0.25)

    def clusters_on_new_model() -> set[str]:  # the narrative is the only stage on the `fast` slot
        return {c.role.process for c in d.serving.pipeline_calls() if c.role and c.role.kind == "cluster"
                and c.stage == "narrative"}

    with d.pinned_workers() as workers, ThreadPoolExecutor(max_workers=len(workers) + 1) as pool:
        pollers = [pool.submit(poll, worker) for worker in workers] + [pool.submit(queue)]
        time.sleep(2)  # every process serves on the old model meanwhile
        switch_sent = time.monotonic()
        d.switch("fast", SERVING)
        switched, switched_wall = time.monotonic(), time.time()
        while not ({str(a.worker) for a in answers if a.sent > switched} >= d.topology.web_workers()
                   and clusters_on_new_model() == {"A/cluster", "B/cluster"}):
            assert time.monotonic() - switched < 15, f"only {clusters_on_new_model()} used the new model"
            time.sleep(0.05)
        time.sleep(0.5)
        polling.set()
        for poller in pollers:
            poller.result()

    def model(result: dict) -> str:
        return result["metadata"]["models"]["narrative"]

    # The route is read when a request starts: for a uvicorn worker when it is sent, for a cluster
    # when one of its worker processes picks it up. Each process keeps a copy of the route that it
    # revalidates every LOCAL_COPY_RECHECK_S (docs/configuration.md), so a request started just
    # after the switch may still get the old model. Per process: the last request started after
    # the switch on the old model, and the first on the new one (the switch reached the process
    # in between); never the old model again once the new one served.
    last_old: dict[str, float] = {}
    first_new: dict[str, float] = {}

    def judge(process: str, started: list[tuple[float, str]]) -> None:
        """`started`: (seconds after the switch the request started, its model), in order."""
        models = [m for _, m in started]
        assert set(models) <= {RULES, SERVING}
        old = models.count(RULES)
        assert models == [RULES] * old + [SERVING] * (len(models) - old), f"{process} flip-flopped: {started}"
        assert old < len(models), f"{process} never served the new model"
        first_new[process] = max(0.0, started[old][0])
        if old and started[old - 1][0] > 0:
            last_old[process] = started[old - 1][0]

    assert {a.status for a in answers} == {200}
    for worker in sorted(d.topology.web_workers()):
        judge(worker, sorted((a.sent - switched, model(a.body)) for a in answers if str(a.worker) == worker))

    assert {q.status for q, _ in queued} == {202}
    results = d.wait_for([q.body["id"] for q, _ in queued])
    assert {r["status"] for r in results} == {"succeeded"}, results
    ran_in: dict[str, Role] = {}  # request -> the cluster's worker process that ran it
    for (_, body), result in zip(queued, results, strict=True):
        [ran_in[result["id"]]] = d.serving.callers(body)
    started = {r["id"]: datetime.fromisoformat(r["started_at"]).timestamp() - switched_wall for r in results}
    for worker in sorted({role for rid, role in ran_in.items() if started[rid] > 0}):
        judge(str(worker), sorted((started[r["id"]], model(r["result"])) for r in results if ran_in[r["id"]] == worker))

    def cluster_of(process: str) -> str:
        return process.rsplit("/", 1)[0] if "/cluster/" in process else process

    # Within a second: each web worker (asked continuously) and each cluster (any of its workers)
    # served the new model; no process served the old one to a request started later than that.
    reached = {}
    for process, seconds in first_new.items():
        reached[cluster_of(process)] = min(seconds, reached.get(cluster_of(process), seconds))
    first_answer = {str(a.worker): a.received - switched for a in sorted(answers, key=lambda a: -a.received)
                    if model(a.body) == SERVING}
    MEASURED["a_switch"] = {
        "put_s": round(switched - switch_sent, 3),
        "propagation_s": round(max(reached.values()), 3),
        "first_new_model_request_started_after_put_s": {p: round(t, 3) for p, t in sorted(first_new.items())},
        "last_old_model_request_started_after_put_s": {p: round(t, 3) for p, t in sorted(last_old.items())},
        "first_answer_by_new_model_after_put_s": {p: round(t, 3) for p, t in sorted(first_answer.items())},
        "requests": len(answers), "queued": dict(Counter(str(role) for role in ran_in.values())),
        "request_p50_s": median(a.received - a.sent for a in answers),
        "queued_pickup_p50_s": median(seconds_between(r["created_at"], r["started_at"]) for r in results),
        "queued_run_p50_s": median(seconds_between(r["started_at"], r["finished_at"]) for r in results),
    }
    print(f"\na) switch: {json.dumps(MEASURED['a_switch'])}")
    processes = d.topology.web_workers() | {"A/cluster", "B/cluster"}
    assert reached.keys() == processes, f"never served the new model: {processes - reached.keys()}"
    assert max(reached.values()) <= PROPAGATION_LIMIT_S, MEASURED["a_switch"]
    assert max(last_old.values(), default=0) <= PROPAGATION_LIMIT_S, MEASURED["a_switch"]


# --- b) one set of upstream calls for 20 identical requests -----------------------------------
def test_b_identical_requests_across_processes_make_one_set_of_upstream_calls(deployments):
    d = deployments
    d.serving.reset_counts()
    d.serving.latency(0.3)  # the first request's calls are still running when the others arrive
    body = d.body()
    gate = threading.Barrier(20)

    def send(index: int) -> Answer:
        gate.wait()
        return d.recommend("AB"[index % 2], body)

    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            answers = list(pool.map(send, range(20)))
    finally:
        d.serving.latency(0)

    assert [a.status for a in answers] == [200] * 20, [a.body for a in answers if a.status != 200]
    calls = d.serving.pipeline_calls()
    per_stage = Counter(call.stage for call in calls)
    caches = [a.metadata["cache"] for a in answers]
    misses = [a for a in answers if not a.metadata["cache"]["hit"]]
    MEASURED["b_single_flight"] = {
        "requests": len(answers), "upstream_calls": len(calls), "per_stage": dict(per_stage),
        "computed_by": sorted({str(call.role) for call in calls}),
        "answered_by": dict(Counter(str(a.worker) for a in answers)),
        "cache": dict(Counter("miss" if not c["hit"] else "shared" if c.get("shared") else "hit" for c in caches)),
        "slowest_s": round(max(a.received - a.sent for a in answers), 3),
    }
    print(f"\nb) 20 identical requests: {MEASURED['b_single_flight']}")
    assert per_stage == dict.fromkeys(STAGES, 1), f"upstream calls per stage: {per_stage} (one set expected)"
    assert len(misses) == 1, caches
    assert {a.deployment for a in answers if a.metadata["cache"]["hit"]} == {"A", "B"}
    assert len({json.dumps(a.body["data"], sort_keys=True) for a in answers}) == 1, "20 answers, one answer"
    assert len({a.body["id"] for a in answers}) == 20, "each request is recorded as its own"


# --- c) a breaker opened in one process is open in all ----------------------------------------
def test_c_a_breaker_opened_through_one_process_is_open_everywhere(deployments):
    d = deployments
    d.failing.always("500")
    d.switch("accurate", FAILING, force=True)  # its probe fails: forced, with a reason
    opened_by = []
    for _ in range(15):
        answer = d.recommend("A", d.body(mode="accurate"))
        assert answer.status == 200, answer.body  # the rules engine answers meanwhile
        opened_by.append(answer)
        if breaker_state(d.scrape("A").body, FAILING) == "open":
            break
    else:
        pytest.fail(f"the breaker of {FAILING} did not open after {len(opened_by)} failing requests")
    upstream_at_open = d.failing.total
    callers = {str(call.role) for call in d.failing.pipeline_calls()}
    assert {role.split("/")[0] for role in callers} == {"A"}, callers

    scrapes = d.sweep(d.scrape)
    states = {str(s.worker): breaker_state(s.body, FAILING) for s in scrapes}
    assert set(states.values()) == {"open"}, states

    skipped = d.sweep(lambda name: d.recommend(name, d.body(mode="accurate")))
    with ThreadPoolExecutor(max_workers=4) as pool:
        queued = list(pool.map(lambda name: d.recommend(name, d.body(mode="accurate"), wait=False), "AABB"))
    results = d.wait_for([q.body["id"] for q in queued])
    assert {r["status"] for r in results} == {"succeeded"}, results
    for metadata in [a.metadata for a in skipped] + [r["result"]["metadata"] for r in results]:
        reasons = {(f["stage"], f["reason"]) for f in metadata["fallbacks"] if f["from"] == FAILING}
        assert reasons == {(stage, "circuit_open") for stage in STAGES}, metadata["fallbacks"]
        assert set(metadata["models"].values()) == {RULES}
    assert {a.status for a in skipped} == {200}
    assert d.failing.total == upstream_at_open, "a process called the model whose breaker is open"
    MEASURED["c_breaker"] = {
        "requests_through_A_to_open": len(opened_by), "upstream_calls_to_open": upstream_at_open,
        "open_in_metrics_of": sorted(states), "skipped_by": dict(Counter(str(a.worker) for a in skipped)),
        "queued_skipped": len(results), "upstream_calls_after_open": d.failing.total - upstream_at_open,
    }
    print(f"\nc) breaker: {MEASURED['c_breaker']}")
    d.switch("accurate", RULES)


# --- d) benchmark units, claimed by both clusters ---------------------------------------------


def executions(unit: dict) -> list[float]:
    """When each execution of the unit started: every execution calls the usage summary once (the
    fault server answers it at once, so no retry)."""
    return sorted(call["started"] for call in unit["calls"] if call["stage"] == "usage_summary")


def wait_until_finished(d: Deployments, run_id: int, *, timeout_s: float = 60) -> dict:
    deadline = time.monotonic() + timeout_s
    while (run := d.call("A", "GET", f"/api/v1/benchmarks/{run_id}").body)["status"] != "finished":
        assert time.monotonic() < deadline, run
        time.sleep(0.3)
    return run


def test_d_benchmark_units_are_claimed_by_both_clusters_once(deployments):
    d = deployments
    d.bench.reset_counts()
    d.bench.latency(0.05)
    started = time.monotonic()
    run_id = d.start_benchmark(repetitions=2, concurrency=4)
    run = wait_until_finished(d, run_id)
    elapsed = time.monotonic() - started
    state = d.benchmark_state(run_id)
    units = state["units"]

    assert state["run"] == "finished"
    assert run["progress"]["total"] == len(units) == 18
    assert Counter(u["status"] for u in units) == {"succeeded": len(units)}, [u for u in units if u["status"] != "succeeded"]
    assert {u["attempts"] for u in units} == {1}, "a unit was claimed twice"
    for unit in units:  # each executed once: one call per stage, all answered
        assert sorted(c["stage"] for c in unit["calls"]) == sorted(STAGES), unit
        assert {c["status"] for c in unit["calls"]} == {"succeeded"}, unit
    calls = d.bench.pipeline_calls()
    assert len(calls) == 3 * len(units), "the fault server saw calls no unit recorded"
    by_cluster = Counter(call.role.process for call in calls if call.role is not None)
    assert sum(by_cluster.values()) == len(calls), "a benchmark call from outside the clusters"
    MEASURED["d_benchmark"] = {
        "units": len(units), "seconds": round(elapsed, 2),
        "units_per_cluster": {name: n / 3 for name, n in sorted(by_cluster.items())},
        "upstream_calls": len(calls),
    }
    print(f"\nd) benchmark: {MEASURED['d_benchmark']}")
    assert set(by_cluster) == {"A/cluster", "B/cluster"}, f"units ran in {dict(by_cluster)} only"


# --- e) kill -9 of a cluster loses nothing ----------------------------------------------------
REAPER = """
import json, time
from energy import tasks as energy_tasks
from energy.models import Recommendation
from evaluation import tasks as evaluation_tasks
from evaluation.models import BenchmarkRun, BenchmarkUnit
ticks, deadline = [], time.monotonic() + TIMEOUT_S
while True:
    benchmarks = evaluation_tasks.reap_benchmarks()
    recommendations = energy_tasks.reap_stale_recommendations()
    if benchmarks["requeued"] or benchmarks["failed"] or benchmarks["restarted"] or any(recommendations.values()):
        ticks.append({"benchmarks": benchmarks, "recommendations": recommendations})
    open_units = BenchmarkUnit.objects.filter(run_id=RUN_ID).exclude(status__in=BenchmarkUnit.TERMINAL).count()
    open_recommendations = Recommendation.objects.filter(pk__in=IDS).exclude(status__in=Recommendation.TERMINAL).count()
    finished = BenchmarkRun.objects.filter(pk=RUN_ID, status=BenchmarkRun.Status.FINISHED).exists()
    if (finished and not open_recommendations) or time.monotonic() > deadline:
        break
    time.sleep(1)
print(json.dumps({"ticks": ticks, "open_units": open_units, "open_recommendations": open_recommendations}))
"""


def test_e_kill_9_of_a_cluster_loses_nothing(deployments):
    d = deployments
    a, b = d.servers["A"], d.servers["B"]
    d.bench.reset_counts()
    d.bench.latency(0.15)  # units in flight when the cluster dies
    d.serving.reset_counts()
    d.serving.latency(0.3)  # and recommendations
    started = time.monotonic()
    # Two drivers: one in each cluster, each cluster's other worker free for the queued requests.
    run_id = d.start_benchmark(repetitions=6, concurrency=2)

    def from_b(server: TracedFaultServer) -> list[Call]:
        return [call for call in server.pipeline_calls() if call.role and call.role.process == "B/cluster"]

    deadline = time.monotonic() + 20
    while not from_b(d.bench):  # until B's cluster is executing units
        assert time.monotonic() < deadline, f"B's cluster ran no unit: {Counter(str(c.role) for c in d.bench.calls)}"
        time.sleep(0.1)
    bodies = [d.body() for _ in range(10)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        queued = list(pool.map(lambda i: d.recommend("AB"[i % 2], bodies[i], wait=False), range(10)))
    assert {q.status for q in queued} == {202}
    deadline = time.monotonic() + 4
    while not from_b(d.serving) and time.monotonic() < deadline:  # and, likely, a recommendation
        time.sleep(0.1)

    cluster = d.topology.cluster_groups["B"]
    doomed = {pid for pid, (_, group) in process_table().items() if group == cluster}
    killed_at = time.time()
    os.killpg(cluster, signal.SIGKILL)
    kill_deadline = time.monotonic() + 5
    while running(doomed):
        assert time.monotonic() < kill_deadline, f"B's cluster survived kill -9: {running(doomed)}"
        time.sleep(0.05)
    bench_calls_from_b, serving_calls_from_b = from_b(d.bench), from_b(d.serving)
    d.serving.latency(0)
    d.bench.latency(0)
    # bin/serve B stops its uvicorn once its cluster is gone (either server dying ends it); A goes on.
    with suppress(subprocess.TimeoutExpired):
        b.process.wait(timeout=15)
    assert a.process.poll() is None

    # The reaper, which the cluster's scheduler runs every minute (units) and every 5 minutes
    # (recommendations), run here every second until everything has ended.
    ids = [q.body["id"] for q in queued]
    reaped = d.shell(REAPER.replace("RUN_ID", str(run_id)).replace("IDS", repr(ids)).replace("TIMEOUT_S", "90"))
    run = wait_until_finished(d, run_id, timeout_s=30)
    state = d.benchmark_state(run_id)
    units = state["units"]
    results = d.wait_for(ids, timeout_s=5)
    elapsed = time.monotonic() - started

    statuses = Counter(u["status"] for u in units)
    requeued = [u for u in units if u["attempts"] > 1]
    MEASURED["e_kill"] = {
        "units": dict(statuses), "units_claimed_twice": len(requeued),
        "unit_calls_from_B_before_kill": len(bench_calls_from_b),
        "recommendation_calls_from_B_before_kill": len(serving_calls_from_b),
        "recommendations": dict(Counter(r["status"] for r in results)),
        # Of the failed: the dead cluster had started them, or had taken them off Redis and not yet.
        "failed_in_flight": sum(1 for r in results if r["status"] == "failed" and r["started_at"]),
        "failed_never_started": sum(1 for r in results if r["status"] == "failed" and not r["started_at"]),
        "recommendation_errors": dict(Counter(f"{e.get('kind')}: {e.get('message')}" for r in results for e in r["errors"])),
        "reaper_ticks": reaped["ticks"], "b_stopped": b.process.poll() is not None,
        "seconds": round(elapsed, 1),
    }
    print(f"\ne) kill -9 of B's cluster: {json.dumps(MEASURED['e_kill'])}")
    assert (reaped["open_units"], reaped["open_recommendations"]) == (0, 0), reaped
    assert run["status"] == "finished"
    assert statuses == {"succeeded": len(units)}, [u for u in units if u["status"] != "succeeded"]
    assert requeued, "no unit was running in B's cluster when it died: nothing to requeue"
    for unit in units:
        starts = executions(unit)
        assert 1 <= len(starts) <= unit["attempts"], unit
        # A unit ran again only after the cluster running it had died: never two at once.
        for earlier, later in itertools.pairwise(starts):
            assert earlier < killed_at < later, unit
    # Every queued request ended. Those the dead cluster held (started, or taken off Redis by its
    # pusher: django-q2's Redis broker has no acknowledgement) fail as abandoned once they are
    # STALE_RECOMMENDATION_S old; the rest succeeded.
    assert {r["status"] for r in results} <= {"succeeded", "failed"}, results
    for result, body in zip(results, bodies, strict=True):
        ran_in = {role.process for role in d.serving.callers(body)}
        if result["status"] == "failed":
            assert [e["kind"] for e in result["errors"]] == ["abandoned"], result
            assert ran_in <= {"B/cluster"}, result
        else:
            assert ran_in == {"A/cluster"}, result
