"""Does a slot switch reach every server process within a second, with no failed request?

Starts two uvicorn processes (or one) on loopback, sends them continuous `fast` recommendations
(asyncio + httpx, bounded concurrency, alternating between the servers) and meanwhile switches
the `fast` slot back and forth between two rules-kind models through
`evaluation.slots.actions.switch_slot`, from this process, as an operator would.

    .venv/bin/python -m bench.switch_under_load [--switches 10] [--concurrency 8] [--servers 2]

For each switch, the propagation delay is max(start − commit) over the requests that started
after the commit (and finished before the next switch was asked for) but were still served by
the old model; 0 when there is none. Also printed: requests, failed requests (non-2xx or an exception), requests/s,
and requests whose stages ran on both switched models (a request pins its route when it starts).

Uses its own SQLite file, var/bench_switch.sqlite3: migrated, seeded and given the models
bench/rules-a and bench/rules-b on first use. Rules-kind models answer in microseconds, so the
requests exercise the serving path itself (auth, route resolution, pipeline, database writes).
Stops by itself (one switch every --interval seconds) and always stops its servers.
"""

import argparse
import asyncio
import io
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SQLITE_PATH", os.path.join(os.path.dirname(__file__), "..", "var", "bench_switch.sqlite3"))

import django

django.setup()

logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request

import httpx  # noqa: E402
import numpy as np  # noqa: E402
from asgiref.sync import sync_to_async  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.servers import api_servers  # noqa: E402
from energy.models import ApiKey  # noqa: E402
from evaluation.models import AIModel, Provider, Slot  # noqa: E402
from evaluation.slots.actions import switch_slot  # noqa: E402

BASE_DIR = Path(__file__).resolve().parent.parent
MODEL_KEYS = ("bench/rules-a", "bench/rules-b")
USAGE = [1100, 1000, 900, 850, 1000, 1400, 1800, 1900, 1500, 1000, 950, 1150]


@dataclass
class Sample:
    started: float  # perf_counter() just before the request was sent
    finished: float  # perf_counter() once its answer (or error) was in
    ok: bool
    model: str = ""  # metadata.models.narrative
    mixed: bool = False  # its stages were served by both switched models
    error: str = ""


@dataclass
class Switch:
    # perf_counter() in the switching thread: the commit happened between these two
    requested: float
    committed: float
    from_key: str
    to_key: str


def prepare() -> tuple[str, list[AIModel]]:
    """Migrate and seed the bench database, put `fast` on bench/rules-a, return an API key."""
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())  # its summary is not this bench's output
    provider = Provider.objects.get(kind=Provider.Kind.RULES, name="builtin")
    models = [
        AIModel.objects.get_or_create(key=key, defaults={
            "display_name": key, "provider": provider, "provider_model": "rules", "prompt_style": AIModel.PromptStyle.RULES,
        })[0]
        for key in MODEL_KEYS
    ]
    if Slot.objects.get(name="fast").model_id != models[0].pk:
        switch_slot("fast", models[0], acting_user=None, reason="bench.switch_under_load: start on bench/rules-a")
    _, raw_key = ApiKey.generate("bench.switch_under_load", **ApiKey.UNLIMITED)
    return raw_key, models


async def send_requests(client: httpx.AsyncClient, base_urls: list[str], worker: int, stop: asyncio.Event,
                        samples: list[Sample]) -> None:
    body = {"monthly_usage_kwh": USAGE, "mode": "fast"}
    sent = 0
    while not stop.is_set():
        base_url = base_urls[(worker + sent) % len(base_urls)]
        sent += 1
        started = time.perf_counter()
        try:
            response = await client.post(f"{base_url}/api/v1/recommendations", json=body)
        except httpx.HTTPError as exc:
            samples.append(Sample(started, time.perf_counter(), ok=False, error=f"{type(exc).__name__}: {exc}"))
            continue
        finished = time.perf_counter()
        if not response.is_success:
            samples.append(Sample(started, finished, ok=False, error=f"HTTP {response.status_code}: {response.text[:200]}"))
            continue
        models = response.json()["metadata"]["models"]
        # The default policy serves a fast request's first two stages from the `exact` slot: only
        # the two switched models on one request would mean its stages saw different routes.
        samples.append(Sample(started, finished, ok=True, model=models["narrative"],
                              mixed=len(set(models.values()) & set(MODEL_KEYS)) > 1))


def switch_and_time(model: AIModel, number: int) -> Switch:
    requested = time.perf_counter()
    change = switch_slot("fast", model, acting_user=None, reason=f"bench.switch_under_load: switch {number}")
    return Switch(requested=requested, committed=time.perf_counter(), from_key=change.from_model.key,
                  to_key=change.to_model.key)


async def switch_repeatedly(models: list[AIModel], count: int, interval_s: float) -> list[Switch]:
    switches = []
    for number in range(1, count + 1):
        await asyncio.sleep(interval_s)
        target = models[number % 2]  # starts on rules-a: b, a, b, …
        switches.append(await sync_to_async(switch_and_time)(target, number))
    await asyncio.sleep(interval_s)  # the last switch gets as long a window as the others
    return switches


def after_switch(switches: list[Switch], samples: list[Sample]) -> list[list[Sample]]:
    """Per switch, the answered requests that started after switch_slot returned (the commit is
    behind them) and finished before the next switch was asked for: a request still open then may
    have been routed after the next switch, which goes back to this switch's old model."""
    windows = []
    for index, switch in enumerate(switches):
        window_end = switches[index + 1].requested if index + 1 < len(switches) else float("inf")
        windows.append([s for s in samples if s.ok and s.started >= switch.committed and s.finished < window_end])
    return windows


def propagation_delays_ms(switches: list[Switch], windows: list[list[Sample]]) -> list[float]:
    """Per switch, in ms: how long after the commit a request could still start and get the old model."""
    return [max((s.started - switch.committed for s in window if s.model == switch.from_key), default=0.0) * 1000
            for switch, window in zip(switches, windows, strict=True)]


async def run_load(base_urls: list[str], raw_key: str, models: list[AIModel], switches: int, concurrency: int,
                   interval_s: float) -> tuple[list[Sample], list[Switch], float]:
    samples: list[Sample] = []
    stop = asyncio.Event()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {raw_key}"}, limits=limits, timeout=30) as client:
        started = time.perf_counter()
        workers = [asyncio.create_task(send_requests(client, base_urls, n, stop, samples)) for n in range(concurrency)]
        try:
            done = await switch_repeatedly(models, switches, interval_s)
        finally:
            stop.set()
            await asyncio.gather(*workers)
        return samples, done, time.perf_counter() - started


def report(samples: list[Sample], switches: list[Switch], elapsed_s: float, servers: int, concurrency: int) -> None:
    failed = [s for s in samples if not s.ok]
    windows = after_switch(switches, samples)
    delays = propagation_delays_ms(switches, windows)
    print(f"{servers} server process(es), concurrency {concurrency}, {len(switches)} switches in {elapsed_s:.1f} s")
    print(f"requests: {len(samples)}, failed: {len(failed)}, {len(samples) / elapsed_s:.0f} requests/s")
    print(f"requests whose stages ran on both switched models: {sum(s.mixed for s in samples)}")
    for number, (switch, window, delay) in enumerate(zip(switches, windows, delays, strict=True), start=1):
        stale = sum(s.model == switch.from_key for s in window)
        print(f"  switch {number:2}: {switch.from_key} -> {switch.to_key}, switch_slot took "
              f"{(switch.committed - switch.requested) * 1000:.1f} ms; after it {len(window)} requests, {stale} on the old "
              f"model; propagation delay {delay:.1f} ms")
    p50 = np.percentile(delays, 50, method="linear")
    print(f"propagation delay: p50 {p50:.1f} ms, max {max(delays):.1f} ms (n={len(delays)})")
    took = [(s.committed - s.requested) * 1000 for s in switches]
    print(f"switch_slot call (probe + transaction): p50 {np.percentile(took, 50, method='linear'):.1f} ms, "
          f"max {max(took):.1f} ms (n={len(took)})")
    for sample in failed[:5]:
        print(f"  failure: {sample.error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--switches", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--servers", type=int, choices=(1, 2), default=2)
    parser.add_argument("--interval", type=float, default=1.5, help="seconds between switches")
    args = parser.parse_args()

    raw_key, models = prepare()
    logs = [BASE_DIR / "var" / f"bench_switch_server_{number}.log" for number in range(1, args.servers + 1)]
    with api_servers(logs) as base_urls:
        samples, switches, elapsed_s = asyncio.run(
            run_load(base_urls, raw_key, models, args.switches, args.concurrency, args.interval),
        )
    report(samples, switches, elapsed_s, args.servers, args.concurrency)


if __name__ == "__main__":
    main()
