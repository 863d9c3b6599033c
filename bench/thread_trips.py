"""What a trip to Django's sync thread costs, and how many trips a request makes.

    .venv/bin/python -m bench.thread_trips [--trips 20000]

1. The cost of one trip: `sync_to_async` of a function that does nothing, to one long-lived
   thread (as config/sync_threads.py runs them) and back, under uvloop; CPU and wall time per trip.
2. The trips of a request through the ASGI application (config/asgi.py) in this process, counted
   by function (every SyncToAsync call), for a recommendation on the `accurate` slot (3 calls to a
   fake provider, bench.fake_provider) that misses the response cache, then the same one again
   (a cache hit). On a SQLite file of its own (var/bench_thread_trips.sqlite3, recreated).
"""

import argparse
import asyncio
import collections
import io
import os
import resource
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE = BASE_DIR / "var" / "bench_thread_trips.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["SQLITE_PATH"] = str(DATABASE)

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
import uvloop  # noqa: E402
from asgiref.sync import SyncToAsync, ThreadSensitiveContext, sync_to_async  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.fake_provider import provider  # noqa: E402
from bench.serving_overhead import USAGE, chat_model, on_accurate  # noqa: E402
from energy.models import ApiKey  # noqa: E402


def nothing() -> None:
    pass


async def trip_cost(trips: int) -> tuple[float, float]:
    """(CPU µs, wall µs) per trip."""
    context = ThreadSensitiveContext()
    SyncToAsync.context_to_thread_executor[context] = ThreadPoolExecutor(max_workers=1)
    SyncToAsync.thread_sensitive_context.set(context)
    trip = sync_to_async(nothing)
    for _ in range(500):
        await trip()
    before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    for _ in range(trips):
        await trip()
    after, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter() - started
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return cpu / trips * 1e6, wall / trips * 1e6


async def trips_per_request(raw_key: str) -> dict[str, collections.Counter]:
    from config.asgi import application

    counted: collections.Counter = collections.Counter()
    counting = [False]
    original = SyncToAsync.__call__

    async def counted_call(self, *args, **kwargs):
        if counting[0]:
            counted[getattr(self.func, "__qualname__", type(self.func).__name__)] += 1
        return await original(self, *args, **kwargs)

    SyncToAsync.__call__ = counted_call
    body = {"monthly_usage_kwh": [kwh + 7 for kwh in USAGE], "mode": "accurate"}
    results = {}
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1",
                                 headers={"Authorization": f"Bearer {raw_key}"}) as client:
        for number in range(3):  # warm-up: the route copy, the provider's client
            await client.post("/api/v1/recommendations", json={**body, "monthly_usage_kwh": [k + number for k in USAGE]})
        for label in ("miss", "hit"):
            counted.clear()
            counting[0] = True
            response = await client.post("/api/v1/recommendations", json=body)
            counting[0] = False
            response.raise_for_status()
            results[label] = collections.Counter(counted)
    SyncToAsync.__call__ = original
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trips", type=int, default=20_000)
    args = parser.parse_args()

    cpu_us, wall_us = uvloop.run(trip_cost(args.trips))
    print(f"one trip to a sync thread and back: {cpu_us:.0f} µs CPU, {wall_us:.0f} µs wall (n={args.trips})")

    DATABASE.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    # Limits checked on every request, as a customer's are (one trip), that never bind.
    _, raw_key = ApiKey.generate("bench.thread_trips", rate_per_minute=10**9, daily_quota=10**9)
    with provider(0.0) as instant_url:
        on_accurate(chat_model("bench/instant", instant_url))
        for label, trips in asyncio.run(trips_per_request(raw_key)).items():
            print(f"trips per request, cache {label}: {sum(trips.values())}")
            for name, count in trips.most_common():
                print(f"  {count} {name}")


if __name__ == "__main__":
    main()
