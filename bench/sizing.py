"""Requests per second per core on each route: the sizing table of docs/deploy.md (issue 13).

    .venv/bin/python -m bench.sizing [--seconds 6] [--clients 8]

One uvicorn process (uvloop, httptools, as bin/serve runs it) on a SQLite file of its own
(var/bench_serving.sqlite3, recreated, seeded), with its `accurate` slot on a chat model served
by bench.fake_provider (instant, in a process of its own, so its CPU is not counted). For each
route, `--clients` closed-loop clients send requests for `--seconds`; printed are the requests
answered per second, the server process's CPU seconds over the same span (from /proc), and their
ratio: requests per CPU-second, which is requests per second per core for a process kept busy.
Every answer must be a 200 (the count of others is printed).
"""

import argparse
import asyncio
import io
import itertools
import os
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
from django.core.management import call_command

from bench.fake_provider import provider
from bench.servers import api_servers
from bench.serving_overhead import DATABASE, RECOMMENDATIONS, chat_model, on_accurate, usage_for  # sets Django up
from energy.models import ApiKey

TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process (all its threads) from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_S


def server_pid(base_url: str) -> int:
    port = base_url.rsplit(":", 1)[1]
    for stat in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = stat.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"config.asgi:application" in command and port.encode() in command:
            return int(stat.parent.name)
    raise SystemExit(f"no uvicorn process found for {base_url}")


ROUTES = {
    "GET /api/v1/health": lambda n: ("GET", "/api/v1/health", None),
    "GET /api/v1/plans": lambda n: ("GET", "/api/v1/plans", None),
    # Each route's usage figures stay apart (and within the API's 100,000 kWh a month).
    "recommendation, cache hit": lambda n: ("POST", RECOMMENDATIONS, {"monthly_usage_kwh": usage_for(90_000)}),
    "recommendation, fast (rules engine, no upstream call)": lambda n: (
        "POST", RECOMMENDATIONS, {"monthly_usage_kwh": usage_for(10_000 + n % 30_000), "mode": "fast"}),
    "recommendation, accurate (3 upstream calls, instant provider)": lambda n: (
        "POST", RECOMMENDATIONS, {"monthly_usage_kwh": usage_for(50_000 + n % 30_000), "mode": "accurate"}),
}


async def measure(client: httpx.AsyncClient, pid: int, request, seconds: float, clients: int) -> str:
    numbers = itertools.count()
    latencies: list[float] = []
    others = 0

    async def one_client(stop_at: float) -> None:
        nonlocal others
        while time.perf_counter() < stop_at:
            method, path, body = request(next(numbers))
            started = time.perf_counter()
            response = await client.request(method, path, json=body)
            if response.status_code == 200:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                others += 1

    await asyncio.gather(*(one_client(time.perf_counter() + 1.0) for _ in range(clients)))  # warm-up
    latencies.clear()
    cpu_before, started = cpu_seconds(pid), time.perf_counter()
    await asyncio.gather(*(one_client(started + seconds) for _ in range(clients)))
    wall, cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu_before
    rate = len(latencies) / wall
    return (f"{rate:7.1f} req/s, server CPU {cpu / wall:4.2f} cores, {len(latencies) / cpu:7.1f} req per CPU-second; "
            f"p50 {np.percentile(latencies, 50):.1f} ms (n={len(latencies)}), {others} not 200")


async def run(base_url: str, raw_key: str, seconds: float, clients: int) -> None:
    pid = server_pid(base_url)
    headers = {"Authorization": f"Bearer {raw_key}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60,
                                 limits=httpx.Limits(max_connections=clients)) as client:
        for name, request in ROUTES.items():
            print(f"{name}: {await measure(client, pid, request, seconds, clients)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    DATABASE.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    _, raw_key = ApiKey.generate("bench.sizing", **ApiKey.UNLIMITED)
    with provider(0.0) as instant_url, tempfile.TemporaryDirectory() as workdir:
        on_accurate(chat_model("bench/instant", instant_url))
        with api_servers([Path(workdir) / "uvicorn.log"]) as (base_url,):
            print(f"{os.cpu_count()} cores; {args.clients} closed-loop clients, {args.seconds:g} s per route", flush=True)
            asyncio.run(run(base_url, raw_key, args.seconds, args.clients))


if __name__ == "__main__":
    main()
