"""Chaos: N recommendations through the real API while the remote model fails X % of its calls.

    .venv/bin/python -m bench.chaos [--requests 500] [--fault-rate 0.3] [--concurrency 16] [--seed 1]
                                    [--kinds hang,reset,...] [--call-timeout 2] [--healthy rules|remote]
                                    [--max-pause 2] [--outage START:END]

Uses its own SQLite file, var/bench_chaos.sqlite3 (migrated and seeded with seed_demo on every
run, which is idempotent). The `fast` slot goes to `chaos/fault-server`, a chat model of the
openai_compatible kind whose provider is the fault server of tests/fakes/fault_server.py, run
in this process on a free loopback port (connect timeout 1 s; read timeout --call-timeout, 2 s
by default, which is also the hard bound on one call). The one healthy model, in `accurate`:
with --healthy rules (the default) builtin/rules; with --healthy remote `chaos/healthy-server`,
a second fault server that never faults, and the routing policy's degrade_to_rules turned off,
so that nothing but the two remote models can serve a stage. One uvicorn process serves the API
on loopback (its log: var/bench_chaos_server.log), with LLM_RATE_LIMIT_MAX_PAUSE_S set to
--max-pause (2 s by default): a 429 asking for a day would otherwise pause the faulty model for
the product's default minute, and turn the rest of the round into a test of that pause alone.

Two rounds of --requests fast recommendations each, --concurrency at a time, after a short
warm-up: a baseline with no faults, then the chaos round, in which each upstream request fails
with probability --fault-rate, the kind drawn uniformly from --kinds: by default every fault
the server knows (429 with Retry-After in seconds, as an HTTP-date, as retry-after-ms, a day
long and malformed; 400; 500, 502, 503, 504; a hang; a connection reset; a truncated JSON body;
an invalid JSON line in the stream; empty choices; a half JSON answer; a stream dropped
mid-way; a slow stream). --seed makes the draws repeatable. Every request has usage figures of
its own, so the response cache cannot hide a fault.

With --outage START:END the faulty model fails every call (503) from START to END seconds into
the chaos round, then returns to its random faults: the report splits the round into before,
during and after, to show the breaker open (fallbacks for an open circuit, no calls) and
recover (stages served by the model again).

Reported per round: served % (2xx), 5xx count, non-2xx answers that are not
application/problem+json (must be 0), client-side errors, recorded % (requests with exactly
one Recommendation row in a terminal status, per request sent), LLMCall rows against the
upstream requests the fault server counted, upstream calls per request, the faults injected,
the fallbacks taken, and latency p50/p95/p99 and max (numpy linear, n shown) with the chaos
round's against the baseline's; at the end, how often the breaker opened, reopened and closed
(from the server's log). Bounded: each request has a client timeout and each round a
deadline; the uvicorn process and the fault server are always stopped.
"""

import argparse
import asyncio
import io
import logging
import os
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SQLITE_PATH", os.path.join(os.path.dirname(__file__), "..", "var", "bench_chaos.sqlite3"))

import django

django.setup()

logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request

import httpx  # noqa: E402
import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.servers import api_servers  # noqa: E402
from energy.models import ApiKey, LLMCall, Recommendation  # noqa: E402
from evaluation.models import AIModel, Provider, RoutingPolicy, Slot  # noqa: E402
from evaluation.slots.actions import switch_slot  # noqa: E402
from tests.fakes.fault_server import FAULTS, FaultServer  # noqa: E402

BASE_DIR = Path(__file__).resolve().parent.parent
SERVER_LOG = BASE_DIR / "var" / "bench_chaos_server.log"
MODEL_KEY = "chaos/fault-server"
PROVIDER_NAME = "chaos-fault-server"
HEALTHY_KEY = "chaos/healthy-server"
HEALTHY_PROVIDER_NAME = "chaos-healthy-server"
USAGE = [1100, 1000, 900, 850, 1000, 1400, 1800, 1900, 1500, 1000, 950, 1150]
WARM_UP_REQUESTS = 5
CLIENT_TIMEOUT_S = 60
OUTAGE_FAULT = "503"
# The environment variables of the resilience settings, which the server inherits from this process.
TUNABLE_PREFIXES = ("LLM_", "BREAKER_", "REQUEST_DEADLINE", "RESPONSE_CACHE", "RETRY_AFTER")
PROBLEM_JSON = "application/problem+json"


@dataclass
class Sample:
    request_id: str
    latency_s: float
    status: int = 0  # 0: no HTTP answer (client timeout, connection error)
    content_type: str = ""
    error: str = ""
    fallbacks: list[dict] = field(default_factory=list)
    remote_stages: int = 0  # stages served by the faulty model
    healthy_stages: int = 0  # by the healthy remote model (--healthy remote)
    cache_hit: bool = False
    sent_at: float = 0.0  # time.perf_counter() when the request was sent


@dataclass
class Round:
    name: str
    fault_rate: float
    samples: list[Sample]
    sent: int
    elapsed_s: float
    upstream: Counter  # fault kind -> upstream requests, as the fault server counted them
    upstream_total: int
    started_at: float = 0.0  # time.perf_counter()
    outage: tuple[float, float] | None = None  # seconds after the start: the faulty model is down


def server_model(key: str, provider_name: str, server: FaultServer, call_timeout_s: float) -> AIModel:
    """A chat model of the openai_compatible kind, served by `server`."""
    provider, _ = Provider.objects.update_or_create(name=provider_name, defaults={
        "kind": Provider.Kind.OPENAI_COMPATIBLE, "base_url": server.base_url, "secret_env": "",
        "connect_timeout_s": 1.0, "read_timeout_s": call_timeout_s, "enabled": True,
    })
    model, _ = AIModel.objects.update_or_create(key=key, defaults={
        "display_name": key, "provider": provider, "provider_model": "fault-chat",
        "prompt_style": AIModel.PromptStyle.CHAT, "status": AIModel.Status.ENABLED,
    })
    return model


def prepare(fault_server: FaultServer, healthy_server: FaultServer | None, call_timeout_s: float) -> str:
    """Migrate and seed the bench database, point the chaos model at this run's fault server and
    put `fast` on it; put `accurate` on the healthy server's model (degrading to rules off) when
    there is one, else on the rules engine; return a new API key."""
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())  # its summary is not this bench's output
    model = server_model(MODEL_KEY, PROVIDER_NAME, fault_server, call_timeout_s)
    if healthy_server is None:
        healthy = AIModel.objects.get(key="builtin/rules")
    else:
        healthy = server_model(HEALTHY_KEY, HEALTHY_PROVIDER_NAME, healthy_server, call_timeout_s)
    # The bench's own database: it sets the policy directly rather than through the admin.
    RoutingPolicy.objects.filter(pk=1).update(degrade_to_rules=healthy_server is None)
    for slot_name, target in (("fast", model), ("accurate", healthy)):
        if Slot.objects.get(name=slot_name).model_id != target.pk:
            switch_slot(slot_name, target, acting_user=None, reason=f"bench.chaos: {slot_name} on {target.key}")
    _, raw_key = ApiKey.generate("bench.chaos", **ApiKey.UNLIMITED)
    return raw_key


def usage_for(number: int) -> list[int]:
    """Usage figures no other request of the run has, so every request misses the response cache."""
    return [kwh + number for kwh in USAGE]


async def send_one(client: httpx.AsyncClient, base_url: str, request_id: str, number: int) -> Sample:
    body = {"monthly_usage_kwh": usage_for(number), "mode": "fast"}
    started = time.perf_counter()
    try:
        response = await client.post(f"{base_url}/api/v1/recommendations", json=body, headers={"X-Request-ID": request_id})
    except httpx.HTTPError as exc:
        return Sample(request_id, time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}", sent_at=started)
    sample = Sample(request_id, time.perf_counter() - started, status=response.status_code,
                    content_type=response.headers.get("content-type", ""), sent_at=started)
    if response.is_success:
        metadata = response.json()["metadata"]
        sample.fallbacks = metadata["fallbacks"]
        sample.remote_stages = sum(key == MODEL_KEY for key in metadata["models"].values())
        sample.healthy_stages = sum(key == HEALTHY_KEY for key in metadata["models"].values())
        sample.cache_hit = bool(metadata.get("cache", {}).get("hit"))
    else:
        sample.error = response.text[:300]
    return sample


async def send_all(base_url: str, raw_key: str, request_ids: list[str], first_number: int, concurrency: int,
                   deadline_s: float) -> list[Sample]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {raw_key}"}, limits=limits,
                                 timeout=CLIENT_TIMEOUT_S) as client:

        async def gated(index: int, request_id: str) -> Sample:
            async with gate:
                return await send_one(client, base_url, request_id, first_number + index)

        tasks = [asyncio.create_task(gated(i, rid)) for i, rid in enumerate(request_ids)]
        done, pending = await asyncio.wait(tasks, timeout=deadline_s)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        return [task.result() for task in done if not task.cancelled() and task.exception() is None]


def run_round(name: str, fault_server: FaultServer, base_url: str, raw_key: str, *, run_id: str, requests: int,
              first_number: int, fault_rate: float, kinds: list[str], concurrency: int, seed: int,
              deadline_s: float, outage: tuple[float, float] | None = None) -> Round:
    fault_server.fault_rate(fault_rate, kinds=kinds, seed=seed)
    fault_server.reset_counts()
    request_ids = [f"chaos-{run_id}-{name}-{i}" for i in range(requests)]
    timers = []
    if outage is not None:
        # The faulty model goes down (every call a 503), then comes back to its random faults.
        timers = [threading.Timer(outage[0], fault_server.always, args=(OUTAGE_FAULT,)),
                  threading.Timer(outage[1], fault_server.fault_rate, args=(fault_rate,),
                                  kwargs={"kinds": kinds, "seed": seed + 1})]
    started = time.perf_counter()
    for timer in timers:
        timer.start()
    try:
        samples = asyncio.run(send_all(base_url, raw_key, request_ids, first_number, concurrency, deadline_s))
    finally:
        for timer in timers:
            timer.cancel()
    elapsed_s = time.perf_counter() - started
    fault_server.fault_rate(0.0, kinds=FAULTS)
    return Round(name=name, fault_rate=fault_rate, samples=samples, sent=requests, elapsed_s=elapsed_s,
                 upstream=Counter(fault_server.counts), upstream_total=fault_server.total, started_at=started,
                 outage=outage)


def outage_phases(round_: Round) -> None:
    """Before, during and after the outage (by when each request was sent): what served the stages
    and how often the breaker kept the request off the faulty model."""
    start_s, end_s = round_.outage
    phases = {"before": (0.0, start_s), "during": (start_s, end_s), "after": (end_s, float("inf"))}
    for phase, (low, high) in phases.items():
        samples = [s for s in round_.samples if low <= s.sent_at - round_.started_at < high]
        served = [s for s in samples if 200 <= s.status < 300]
        stages = 3 * len(served) or 1
        circuit_open = sum(f["reason"] == "circuit_open" for s in served for f in s.fallbacks)
        print(f"  {phase:>6} ({low:g}-{high:g} s): {len(samples)} requests, {len(served)} served; stages on the faulty "
              f"model {100 * sum(s.remote_stages for s in served) / stages:.1f} %; fallbacks for an open circuit: "
              f"{circuit_open}")


def records(round_: Round, run_id: str) -> dict[str, object]:
    """What the product wrote for the round's requests, read back from the database."""
    prefix = f"chaos-{run_id}-{round_.name}-"
    rows = list(Recommendation.objects.filter(request_id__startswith=prefix).values_list("request_id", "status"))
    per_request = Counter(request_id for request_id, _ in rows)
    terminal = {request_id for request_id, status in rows if status in Recommendation.TERMINAL}
    recorded = sum(1 for request_id, count in per_request.items() if count == 1 and request_id in terminal)
    calls = LLMCall.objects.filter(recommendation__request_id__startswith=prefix)
    return {
        "recorded": recorded,
        "duplicated": sum(1 for count in per_request.values() if count > 1),
        "not_terminal": len({rid for rid, _ in rows} - terminal),
        "calls": calls.count(),
        "calls_by_outcome": Counter(f"{status}/{error_class or '-'}" for status, error_class in
                                    calls.values_list("status", "error_class")),
    }


def percentiles(latencies: list[float]) -> dict[str, float]:
    if not latencies:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
    values = np.array(latencies) * 1000
    return {f"p{q}": float(np.percentile(values, q, method="linear")) for q in (50, 95, 99)}


def report(round_: Round, written: dict[str, object], baseline: dict[str, float] | None) -> dict[str, float]:
    samples = round_.samples
    served = [s for s in samples if 200 <= s.status < 300]
    server_errors = [s for s in samples if s.status >= 500]
    not_problem = [s for s in samples if s.status and not 200 <= s.status < 300 and PROBLEM_JSON not in s.content_type]
    no_answer = [s for s in samples if not s.status]
    stats = percentiles([s.latency_s for s in samples if s.status])
    print(f"\n== {round_.name}: {round_.sent} requests, fault rate {round_.fault_rate:.0%}, "
          f"{round_.elapsed_s:.1f} s, {len(samples) / round_.elapsed_s:.1f} requests/s")
    print(f"served (2xx): {len(served)}/{round_.sent} = {100 * len(served) / round_.sent:.1f} %")
    print(f"5xx: {len(server_errors)} {dict(Counter(s.status for s in server_errors))}; "
          f"non-2xx not problem+json: {len(not_problem)}; no HTTP answer: {len(no_answer)}; "
          f"unfinished at the deadline: {round_.sent - len(samples)}")
    print(f"recorded: {written['recorded']}/{round_.sent} = {100 * written['recorded'] / round_.sent:.1f} % "
          f"(duplicated: {written['duplicated']}, not terminal: {written['not_terminal']})")
    print(f"upstream requests (fault server): {round_.upstream_total}, "
          f"{round_.upstream_total / round_.sent:.2f} per request; LLMCall rows: {written['calls']}")
    print(f"LLMCall rows by status/error_class: {dict(written['calls_by_outcome'].most_common())}")
    faulted = round_.upstream_total - round_.upstream["ok"]
    print(f"upstream answers by kind ({faulted} faulted, {100 * faulted / max(round_.upstream_total, 1):.1f} %): "
          f"{dict(round_.upstream.most_common())}")
    fallbacks = Counter(f"{f['stage']}:{f['reason']}" for s in served for f in s.fallbacks)
    print(f"served answers with a fallback: {sum(bool(s.fallbacks) for s in served)}; "
          f"all 3 stages on the faulty model: {sum(s.remote_stages == 3 for s in served)}; "
          f"stages served by the faulty / the healthy remote model: {sum(s.remote_stages for s in served)} / "
          f"{sum(s.healthy_stages for s in served)}; cache hits: {sum(s.cache_hit for s in served)}")
    print(f"fallbacks (stage:reason): {dict(fallbacks.most_common())}")
    line = ", ".join(f"{name} {value:.1f} ms" for name, value in stats.items())
    line += f", max {max((s.latency_s for s in samples if s.status), default=0) * 1000:.1f} ms"
    print(f"latency: {line} (n={sum(1 for s in samples if s.status)}, numpy linear)")
    if baseline is not None:
        print("vs baseline: " + ", ".join(f"{name} ×{stats[name] / baseline[name]:.2f}" for name in stats))
    if round_.outage is not None:
        outage_phases(round_)
    for sample in (server_errors + not_problem + no_answer)[:5]:
        print(f"  e.g. {sample.request_id}: HTTP {sample.status} {sample.content_type} {sample.error[:200]}")
    return stats


def parse_outage(text: str) -> tuple[float, float]:
    start, _, end = text.partition(":")
    try:
        window = float(start), float(end)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected START:END in seconds, got {text!r}") from None
    if not 0 <= window[0] < window[1]:
        raise argparse.ArgumentTypeError("START must be at least 0 and before END")
    return window


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--fault-rate", type=float, default=0.3, help="share of upstream requests that fail, 0..1")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1, help="seeds the fault server's draws")
    parser.add_argument("--deadline", type=float, default=600, help="seconds a round may take before it is cut off")
    parser.add_argument("--kinds", default=",".join(FAULTS), help="the faults to draw from, comma-separated")
    parser.add_argument("--call-timeout", type=float, default=2.0, help="the remote model's call timeout, seconds")
    parser.add_argument("--healthy", choices=["rules", "remote"], default="rules",
                        help="the healthy model in `accurate`: the rules engine, or a remote model (rules then off)")
    parser.add_argument("--outage", type=parse_outage, default=None, metavar="START:END",
                        help="seconds into the chaos round between which the faulty model fails every call (503)")
    parser.add_argument("--max-pause", type=float, default=2.0,
                        help="the server's LLM_RATE_LIMIT_MAX_PAUSE_S: the longest a Retry-After pauses a provider")
    args = parser.parse_args()
    kinds = args.kinds.split(",")

    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    print(f"bench.chaos {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {' '.join(sys.argv[1:]) or '(defaults)'}")
    tuned = {name: value for name, value in os.environ.items() if name.startswith(TUNABLE_PREFIXES)}
    tuned["LLM_RATE_LIMIT_MAX_PAUSE_S"] = str(args.max_pause)
    print("server settings (the rest at their defaults): " + " ".join(f"{k}={v}" for k, v in sorted(tuned.items())))
    with FaultServer() as fault_server, FaultServer() as healthy_server:
        raw_key = prepare(fault_server, healthy_server if args.healthy == "remote" else None, args.call_timeout)
        with api_servers([SERVER_LOG], {"LLM_RATE_LIMIT_MAX_PAUSE_S": str(args.max_pause)}) as [base_url]:
            common = {"run_id": run_id, "requests": args.requests, "concurrency": args.concurrency, "seed": args.seed,
                      "deadline_s": args.deadline, "kinds": kinds}
            run_round("warm-up", fault_server, base_url, raw_key, **{**common, "requests": WARM_UP_REQUESTS},
                      first_number=0, fault_rate=0.0)
            rounds = [
                run_round("baseline", fault_server, base_url, raw_key, **common, first_number=WARM_UP_REQUESTS,
                          fault_rate=0.0),
                run_round("chaos", fault_server, base_url, raw_key, **common,
                          first_number=WARM_UP_REQUESTS + args.requests, fault_rate=args.fault_rate,
                          outage=args.outage),
            ]
    baseline = None
    for round_ in rounds:
        stats = report(round_, records(round_, run_id), baseline)
        baseline = baseline or stats
    print(f"circuit breaker of {MODEL_KEY} (the server's log): {breaker_transitions()}")


def breaker_transitions() -> dict[str, int]:
    """How often the breaker opened, reopened after a failed probe, and closed after a good one:
    energy.llm.breaker logs each transition as a warning."""
    log = SERVER_LOG.read_text(errors="replace")
    return {transition: len(re.findall(rf"circuit {transition} for {re.escape(MODEL_KEY)}", log))
            for transition in ("opened", "reopened", "closed")}


if __name__ == "__main__":
    main()
