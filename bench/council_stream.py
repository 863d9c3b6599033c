"""How soon a council's steps reach a streaming client (issue 16: each event within 100 ms of its
result): the product served by uvicorn on loopback, the `accurate` slot on a council of three
remote chat models and a chairman, each a fake provider (bench/fake_provider.py) in a process of
its own, answering after 50, 150 and 300 ms (the chairman after 100 ms).

    .venv/bin/python -m bench.council_stream [--requests 20]

For each `council` event, the delay is the time from the call that produced it finishing (its
LLMCall row's `finished_at`, stamped in the serving process when the answer was in) to the event
arriving at the client (its wall clock when the event's line was read); both clocks are this
machine's. A synthesis event follows the chairman's call; an answer or ranking event, its member's.
Printed as percentiles (numpy linear) with n, with the order check: in every stream, `seq`
increases by one and each stage's step numbers never go back.

Uses its own SQLite file, var/bench_council.sqlite3 (migrated and seeded on first use).
"""

import argparse
import asyncio
import io
import json
import logging
import os
import time
from contextlib import ExitStack
from datetime import datetime

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SQLITE_PATH", os.path.join(os.path.dirname(__file__), "..", "var", "bench_council.sqlite3"))
os.environ.setdefault("DEMO_PASSWORD", "bench-council-demo")

import django

django.setup()
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("evaluation.seeds.slots").setLevel(logging.ERROR)

import httpx  # noqa: E402
import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.fake_provider import provider  # noqa: E402
from bench.servers import BASE_DIR, api_servers  # noqa: E402
from energy.models import ApiKey, LLMCall  # noqa: E402
from evaluation.catalog.councils import Composition, compose_council  # noqa: E402
from evaluation.models import AIModel, Provider, Slot  # noqa: E402

LATENCIES = {"bench/member-a": 0.05, "bench/member-b": 0.15, "bench/member-c": 0.3, "bench/chair": 0.1}
COUNCIL = "council/bench-stream"
USAGE = [1100, 1000, 900, 850, 1000, 1400, 1800, 1900, 1500, 1000, 950, 1150]
LOGS = BASE_DIR / "var" / "bench-council"


def prepare(base_urls: dict[str, str]) -> str:
    """The catalog: one provider per fake (their addresses change every run), the council in `accurate`."""
    LOGS.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    for key, base_url in base_urls.items():
        remote, _ = Provider.objects.update_or_create(
            name=f"bench-{key}", defaults={"kind": Provider.Kind.OPENAI_COMPATIBLE, "base_url": base_url,
                                           "connect_timeout_s": 1, "read_timeout_s": 5})
        AIModel.objects.update_or_create(key=key, defaults={"display_name": key, "provider": remote, "provider_model": key,
                                                            "prompt_style": AIModel.PromptStyle.CHAT})
    if not AIModel.objects.filter(key=COUNCIL).exists():
        compose_council(COUNCIL, Composition(members=("bench/member-a", "bench/member-b", "bench/member-c"),
                                             chairman="bench/chair", ranking_share=1.0),
                        acting_user=None, reason="bench.council_stream")
    Slot.objects.filter(name="accurate").update(model=AIModel.objects.get(key=COUNCIL))
    return ApiKey.generate("bench-council", **ApiKey.UNLIMITED)[1]


async def stream_one(client: httpx.AsyncClient, base_url: str, key: str, i: int) -> list[tuple[float, dict]]:
    """(arrival wall-clock time, data) of every event of one streamed `accurate` recommendation."""
    usage = [u + i for u in USAGE]  # a fresh input each time: no cached answer
    received, kind = [], None
    headers = {"Authorization": f"Bearer {key}", "Accept": "text/event-stream"}
    async with client.stream("POST", f"{base_url}/api/v1/recommendations", timeout=60, headers=headers,
                             json={"monthly_usage_kwh": usage, "mode": "accurate"}) as response:
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                kind = line[len("event: "):]
            elif line.startswith("data: "):
                received.append((time.time(), {"event": kind, **json.loads(line[len("data: "):])}))
    return received


def delays_ms(events: list[tuple[float, dict]], request_id: str) -> list[float]:
    """Each council event's delay after the call it reports finished."""
    calls = list(LLMCall.objects.filter(recommendation_id=request_id).exclude(finished_at=None))
    delays = []
    for arrived, data in events:
        if data["event"] != "council":
            continue
        model = data["model"]
        stage_calls = sorted((c for c in calls if c.stage == data["stage"] and c.model_key == model),
                             key=lambda c: c.finished_at)
        # A member's answer is its first call of the stage, its ranking the second; the chairman has one.
        index = 1 if data["step"] == "ranking" else 0
        if data.get("outcome") != "ok" or len(stage_calls) <= index:
            continue
        delays.append((arrived - stage_calls[index].finished_at.timestamp()) * 1000)
    return delays


def in_order(events: list[tuple[float, dict]]) -> bool:
    seqs = [data["seq"] for _, data in events]
    steps: dict[str, list[int]] = {}
    for _, data in events:
        if data["event"] == "council":
            steps.setdefault(data["stage"], []).append(data["step_number"])
    return seqs == list(range(1, len(seqs) + 1)) and all(s == sorted(s) for s in steps.values())


def figures(values: list[float]) -> str:
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, max {max(values):.1f} ms (n={len(values)})"


async def stream_all(base_url: str, key: str, requests: int) -> list[list[tuple[float, dict]]]:
    async with httpx.AsyncClient() as client:
        await stream_one(client, base_url, key, -1)  # warm-up: connections, imports
        return [await stream_one(client, base_url, key, i) for i in range(requests)]


def main(args: argparse.Namespace) -> None:
    with ExitStack() as stack:
        base_urls = {key: stack.enter_context(provider(latency)) for key, latency in LATENCIES.items()}
        key = prepare(base_urls)
        with api_servers([LOGS / "uvicorn.log"]) as (base_url,):
            streams = asyncio.run(stream_all(base_url, key, args.requests))
    delays, ordered = [], 0
    for events in streams:
        result = events[-1][1]
        assert result["event"] == "result", result
        delays += delays_ms(events, result["id"])
        ordered += in_order(events)
    print(f"council events, delay after their call finished: {figures(delays)}")
    print(f"streams in order: {ordered} of {args.requests}; run {datetime.now():%Y-%m-%d %H:%M}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20)
    main(parser.parse_args())
