"""The embedded model as users meet it: the product served on loopback (uvicorn, the inference
engine, the cluster when a phase needs it), on the seeded catalog (`fast` on local/gemma-3-270m),
against the naive pipeline on the same engine in the same run.

    .venv/bin/python -m bench.embedded_serving [--rounds 20] [--bursts 3] [--contended-requests 20]

Phases, each printed as percentiles (numpy linear) with n:
1. naive: three sequential chat completions asking for JSON (usage summary; scores for every
   plan; explanations of the top three), up to 200 / 400 / 250 tokens at temperature 0.2, sent
   straight to the engine: the pipeline the seeds started from;
2. fast: one `fast` recommendation at a time (JSON), and the share of recommended plans whose why
   the model wrote;
3. streaming: the same, streamed: time to the first event, to `plans`, to the first `token`;
4. burst: 10 `fast` requests at once, --bursts times: each latency against REQUEST_DEADLINE_S + 0.5 s;
5. contended: two web processes, live `fast` requests one at a time, first on a quiet engine,
   then while the cluster runs a benchmark of local/gemma-3-270m on the same engine: latencies,
   the generation speed of one sequence (tokens per second of the engine's generation time, from
   its /metrics) and the engine's output (tokens per second of wall time).

Uses its own SQLite file, var/bench_serving.sqlite3 (migrated and seeded on first use), and an
engine and servers on free ports; stops everything it started.
"""

import argparse
import asyncio
import io
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SQLITE_PATH", os.path.join(os.path.dirname(__file__), "..", "var", "bench_serving.sqlite3"))
os.environ.setdefault("DEMO_PASSWORD", "bench-serving-demo")

import django

django.setup()
logging.getLogger("httpx").setLevel(logging.WARNING)

import httpx  # noqa: E402
import numpy as np  # noqa: E402
from asgiref.sync import sync_to_async  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.servers import BASE_DIR, api_servers, free_port, stop, wait_until_healthy  # noqa: E402
from energy.engine.process import command, environment  # noqa: E402
from energy.engine.state import parse_metrics  # noqa: E402
from energy.models import ApiKey, Plan  # noqa: E402

USAGE = [1100, 1000, 900, 850, 1000, 1400, 1800, 1900, 1500, 1000, 950, 1150]
LOGS = BASE_DIR / "var" / "bench-serving"


def usage(i: int) -> list[int]:
    """A different year for each request: the response cache must not answer any of them."""
    return [*USAGE[:-1], 1000 + i]


def figures(values: list[float]) -> str:
    if not values:
        return "n=0"
    p50, p95 = np.percentile(values, [50, 95])
    return f"p50 {p50:,.0f} ms · p95 {p95:,.0f} ms · max {max(values):,.0f} ms · n={len(values)}"


# The engine ------------------------------------------------------------------------------

@contextmanager
def engine() -> Iterator[str]:
    port = free_port()
    log = LOGS / "engine.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command(port=port), env=environment(), stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(process, url, log, time.monotonic() + 60, health_path="/health")
        yield url
    finally:
        stop([process])


def engine_counters(url: str) -> tuple[float, float]:
    """(tokens generated, seconds spent generating), since the engine started."""
    metrics = parse_metrics(httpx.get(f"{url}/metrics").text)
    return metrics["llamacpp:tokens_predicted_total"], metrics["llamacpp:tokens_predicted_seconds_total"]


# 1. The naive pipeline --------------------------------------------------------------------

def naive_prompts(plans: list[dict]) -> list[tuple[str, int]]:
    usage_text = ", ".join(f"{kwh} kWh" for kwh in USAGE)
    return [
        (f"Here is a household's monthly electricity usage for a year: {usage_text}. Summarize it. Answer with JSON: "
         '{"summary": "...", "seasonal_pattern": "...", "trend": "..."}', 200),
        (f"Usage: {usage_text}. Score every one of these electricity plans from 0 to 100 for this household: "
         f"{json.dumps(plans)}. Answer with JSON: " + '{"scores": [{"plan_id": 1, "score": 50}, ...]}', 400),
        ("Explain in one sentence each why the top three plans suit this household, using their prices. Answer with "
         'JSON: {"explanations": [{"plan_id": 1, "why": "..."}, ...]}', 250),
    ]


def plan_list() -> list[dict]:
    return [{"plan_id": p.pk, "name": p.name, "energy_rate_cents": float(p.energy_rate_cents or 0),
             "base_fee": float(p.base_fee), "renewable_pct": p.renewable_pct, "contract_months": p.contract_months}
            for p in Plan.objects.filter(active=True)]


async def naive(client: httpx.AsyncClient, url: str, rounds: int, plans: list[dict]) -> tuple[list[float], list[int]]:
    latencies, tokens = [], []
    for _ in range(rounds):
        started, generated, history = time.perf_counter(), 0, []
        for prompt, max_tokens in naive_prompts(plans):
            history.append({"role": "user", "content": prompt})
            answer = (await client.post(f"{url}/v1/chat/completions", timeout=120, json={
                "messages": history, "max_tokens": max_tokens, "temperature": 0.2})).json()
            history.append(answer["choices"][0]["message"])
            generated += answer["usage"]["completion_tokens"]
        latencies.append((time.perf_counter() - started) * 1000)
        tokens.append(generated)
    return latencies, tokens


# 2–4. The product over HTTP ----------------------------------------------------------------

async def recommend(client: httpx.AsyncClient, base_url: str, key: str, i: int) -> tuple[float, dict | None]:
    started = time.perf_counter()
    response = await client.post(f"{base_url}/api/v1/recommendations", timeout=60,
                                 headers={"Authorization": f"Bearer {key}"}, json={"monthly_usage_kwh": usage(i), "mode": "fast"})
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, response.json() if response.status_code == 200 else None


async def streamed(client: httpx.AsyncClient, base_url: str, key: str, i: int) -> dict[str, float]:
    """Milliseconds from sending to the first event, to `plans`, to the first `token`, to the end."""
    started, seen = time.perf_counter(), {}
    headers = {"Authorization": f"Bearer {key}", "Accept": "text/event-stream"}
    async with client.stream("POST", f"{base_url}/api/v1/recommendations", timeout=60, headers=headers,
                             json={"monthly_usage_kwh": usage(i), "mode": "fast"}) as response:
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                kind = line[len("event: "):]
                seen.setdefault("first", (time.perf_counter() - started) * 1000)
                seen.setdefault(kind, (time.perf_counter() - started) * 1000)
    seen["end"] = (time.perf_counter() - started) * 1000
    return seen


def model_share(answers: list[dict]) -> tuple[int, int]:
    """(whys the model wrote, recommended plans)."""
    sources = [s for a in answers for s in a["metadata"]["narrative_sources"]]
    return sum(s["source"] != "builtin/rules" for s in sources), len(sources)


# 5. Contended ------------------------------------------------------------------------------

@contextmanager
def cluster(env: dict[str, str]) -> Iterator[None]:
    log = LOGS / "qcluster.log"
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=BASE_DIR, env=env, stdout=output,
                                   stderr=subprocess.STDOUT)
    try:
        yield
    finally:
        stop([process])


def start_benchmark_run() -> int:
    from django.contrib.auth import get_user_model

    from evaluation.benchmarks.actions import start_benchmark
    from evaluation.models import BenchmarkSuite

    run = start_benchmark(BenchmarkSuite.objects.get(name="standard"), ["local/gemma-3-270m"], repetitions=10,
                          warmup_repetitions=0, label="bench.embedded_serving: load",
                          acting_user=get_user_model().objects.get(username="operator"))
    return run.pk


async def live_requests(client: httpx.AsyncClient, servers: list[str], key: str, count: int, offset: int) -> list[float]:
    latencies = []
    for i in range(count):
        elapsed, answer = await recommend(client, servers[i % len(servers)], key, offset + i)
        latencies.append(elapsed if answer is not None else float("inf"))
    return latencies


def engine_speeds(before: tuple[float, float], after: tuple[float, float], wall_s: float) -> tuple[float, float]:
    """(tokens/s of one sequence: tokens per second the engine spent generating them; the
    engine's output: tokens per second of wall time, all sequences together)."""
    tokens, generating_s = after[0] - before[0], after[1] - before[1]
    return (tokens / generating_s if generating_s > 0 else float("nan")), tokens / wall_s


# ------------------------------------------------------------------------------------------

def prepare() -> str:
    LOGS.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    return ApiKey.generate("bench-serving", **ApiKey.UNLIMITED)[1]


async def main(args: argparse.Namespace, key: str, plans: list[dict]) -> None:
    deadline_ms = settings.REQUEST_DEADLINE_S * 1000
    with engine() as engine_url:
        env = {"ENGINE_URL": engine_url}
        async with httpx.AsyncClient(limits=httpx.Limits(max_keepalive_connections=0)) as client:
            if "1" in args.phases:
                naive_ms, naive_tokens = await naive(client, engine_url, args.naive_rounds, plans)
                print(f"1. naive pipeline (3 chat-JSON stages, ~{np.median(naive_tokens):.0f} tokens): {figures(naive_ms)}")
            else:
                naive_ms = [float("nan")]
            if set("234") & set(args.phases):
                await single_process_phases(client, env, key, args, naive_ms, deadline_ms)
            if "5" in args.phases:
                await contended_phase(client, engine_url, env, key, args, deadline_ms)


async def single_process_phases(client: httpx.AsyncClient, env: dict[str, str], key: str, args: argparse.Namespace,
                                naive_ms: list[float], deadline_ms: float) -> None:
    with api_servers([LOGS / "web-1.log"], env) as (server,):
        await recommend(client, server, key, -1)  # warm-up
        fast = [await recommend(client, server, key, i) for i in range(args.rounds)]
        fast_ms = [ms for ms, _ in fast]
        written, plans = model_share([a for _, a in fast if a is not None])
        print(f"2. fast recommendation: {figures(fast_ms)}; errors {sum(a is None for _, a in fast)}; "
              f"whys by the model {written}/{plans} ({written / max(plans, 1):.0%}); "
              f"naive p50 / fast p50 = {np.median(naive_ms) / np.median(fast_ms):.1f}x")
        streams = [await streamed(client, server, key, 1000 + i) for i in range(args.rounds)]
        for mark in ("first", "plans", "token", "end"):
            print(f"3. streamed, {mark:>6}: {figures([s[mark] for s in streams if mark in s])}")
        bursts = []
        for b in range(args.bursts):
            bursts += await asyncio.gather(*(recommend(client, server, key, 2000 + 10 * b + i) for i in range(10)))
        burst_ms = [ms for ms, _ in bursts]
        reasons = sorted({f["reason"] for _, a in bursts if a for f in a["metadata"]["fallbacks"]})
        print(f"4. 10 at once ×{args.bursts}: {figures(burst_ms)}; errors {sum(a is None for _, a in bursts)}; "
              f"over the deadline + 0.5 s: {sum(ms > deadline_ms + 500 for ms in burst_ms)}; fallbacks {reasons}")


async def contended_phase(client: httpx.AsyncClient, engine_url: str, env: dict[str, str], key: str,
                          args: argparse.Namespace, deadline_ms: float) -> None:
    with api_servers([LOGS / "web-1.log", LOGS / "web-2.log"], env) as servers:
        before, started = engine_counters(engine_url), time.perf_counter()
        quiet = await live_requests(client, servers, key, args.contended_requests, 3000)
        quiet_speed, quiet_output = engine_speeds(before, engine_counters(engine_url), time.perf_counter() - started)
        run_id = await sync_to_async(start_benchmark_run)()
        with cluster({**os.environ, **env}):
            await asyncio.sleep(5)  # the first units are running
            before, started = engine_counters(engine_url), time.perf_counter()
            loaded = await live_requests(client, servers, key, args.contended_requests, 4000)
            loaded_speed, loaded_output = engine_speeds(before, engine_counters(engine_url), time.perf_counter() - started)
        from evaluation.models import BenchmarkUnit

        units = await BenchmarkUnit.objects.filter(run_id=run_id).exclude(status="queued").acount()
        print(f"5. 2 web processes, quiet engine: {figures(quiet)}; per sequence {quiet_speed:.1f} tokens/s, "
              f"engine output {quiet_output:.1f} tokens/s")
        print(f"5. same, cluster benchmarking ({units} units run): {figures(loaded)}; per sequence "
              f"{loaded_speed:.1f} tokens/s (quiet / loaded = {quiet_speed / loaded_speed:.2f}x), engine output "
              f"{loaded_output:.1f} tokens/s; over the deadline: {sum(ms > deadline_ms for ms in loaded)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--naive-rounds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--bursts", type=int, default=3)
    parser.add_argument("--contended-requests", type=int, default=20)
    parser.add_argument("--phases", default="12345", help="Which phases to run (default: all)")
    arguments = parser.parse_args()
    asyncio.run(main(arguments, prepare(), plan_list()))
