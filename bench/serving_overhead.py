"""What serving costs on top of the provider (issue 13's P1, P3, P4 and an open-loop run), with
LiteLLM's proxy measured in the same run on the same fake provider.

    .venv/bin/python -m bench.serving_overhead [--n 200] [--litellm var/bench-litellm/bin/litellm] [--parts p1,p3]
                                               [--workers 2]

LiteLLM is never a product dependency: give it a venv of its own,
    python3 -m venv var/bench-litellm && var/bench-litellm/bin/pip install 'litellm[proxy]'
and pass its `litellm` command (without --litellm its row is left out).

One uvicorn server (as bin/serve runs it: uvloop, httptools; `--workers` processes, 1 by default)
on a SQLite file of its own (var/bench_serving.sqlite3, recreated), seeded, with the `accurate` slot on a chat model served by
bench.fake_provider (a loopback OpenAI-compatible server in a process of its own). Rows:

- P1, orchestration overhead: sequential `accurate` recommendations (all 3 stages on the model,
  each input new, so no cache hit), each minus its upstream calls' time on the critical path
  (usage summary beside plan scoring → narrative), from the LLMCall rows the product wrote.
  LiteLLM: one chat call through its proxy minus a direct call to the same provider, paired.
- Floor: with the same client, an ASGI app that answers at once (bench.asgi_floor), Django's own
  404 and an authenticated read of the plans: what a request costs before the product's work.
- P3: the same recommendation again and again over HTTP, answered from the response cache.
- P4: against a provider that takes 200 ms, the p50 of 1, 50 and 200 requests in flight.
- Open loop: requests sent at a fixed rate whatever the answers do (no coordinated omission);
  latency counts from the scheduled send, and the dispatch delay (scheduled → sent) is reported.
"""

import argparse
import asyncio
import io
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE = BASE_DIR / "var" / "bench_serving.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["SQLITE_PATH"] = str(DATABASE)

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402

logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.fake_provider import provider  # noqa: E402
from bench.servers import api_servers, free_port, stop, wait_until_healthy  # noqa: E402
from energy.models import ApiKey, LLMCall  # noqa: E402
from evaluation.models import AIModel, Provider, Slot  # noqa: E402
from evaluation.slots.actions import switch_slot  # noqa: E402

USAGE = [1100, 1000, 900, 850, 1000, 1400, 1800, 1900, 1500, 1000, 950, 1150]
RECOMMENDATIONS = "/api/v1/recommendations"
CHAT = {"model": "chat-mini", "messages": [{"role": "user", "content": "Say OK."}], "stream": True}


def percentiles(values: list[float]) -> str:
    if not values:
        return "no answers (n=0)"
    p50, p95, p99 = np.percentile(values, [50, 95, 99], method="linear")
    return f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms (n={len(values)})"


def chat_model(key: str, base_url: str) -> AIModel:
    provider_row, _ = Provider.objects.update_or_create(name=key, defaults={
        "kind": Provider.Kind.OPENAI_COMPATIBLE, "base_url": base_url, "secret_env": "", "read_timeout_s": 10,
        "max_concurrency": 256,
    })
    model, _ = AIModel.objects.update_or_create(key=key, defaults={
        "display_name": key, "provider": provider_row, "provider_model": "chat-mini",
        "prompt_style": AIModel.PromptStyle.CHAT, "status": AIModel.Status.ENABLED,
    })
    return model


def on_accurate(model: AIModel) -> None:
    if Slot.objects.get(name="accurate").model_id != model.pk:
        switch_slot("accurate", model, acting_user=None, reason=f"bench.serving_overhead: accurate on {model.key}")
    time.sleep(0.5)  # every process's route copy rechecks within 0.25 s


def usage_for(number: int) -> list[int]:
    """Usage no other request of the run has (each phase numbers its requests apart), so only P3 hits the cache."""
    return [kwh + number for kwh in USAGE]


async def recommend(client: httpx.AsyncClient, number: int) -> tuple[float, str]:
    started = time.perf_counter()
    response = await client.post(RECOMMENDATIONS, json={"monthly_usage_kwh": usage_for(number), "mode": "accurate"})
    elapsed_ms = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed_ms, response.json()["id"]


def critical_path_ms(recommendation_id: str) -> float:
    """The upstream time the request had to wait for: usage summary beside plan scoring → narrative."""
    took = dict(LLMCall.objects.filter(recommendation_id=recommendation_id, status=LLMCall.Status.SUCCEEDED)
                .values_list("stage", "duration_ms"))
    return max(took["usage_summary"], took["plan_scoring"] + took["narrative"])


async def p1_ours(client: httpx.AsyncClient, n: int) -> list[float]:
    for number in range(10):  # warm-up: connections, the route copy, the provider's client
        await recommend(client, 50_000 + number)
    answered = [await recommend(client, number) for number in range(n)]
    upstream = [await asyncio.to_thread(critical_path_ms, rid) for _, rid in answered]
    return [wall - waited for (wall, _), waited in zip(answered, upstream, strict=True)]


async def timed_chat(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    async with client.stream("POST", url, json=CHAT, headers=headers) as response:
        response.raise_for_status()
        async for _ in response.aiter_bytes():
            pass
    return (time.perf_counter() - started) * 1000


async def p1_litellm(litellm_url: str, provider_url: str, n: int) -> tuple[list[float], list[float]]:
    """Per pair: a call through the proxy, a direct call (alternating which goes first)."""
    through, direct = [], []
    async with httpx.AsyncClient(timeout=30) as client:
        proxy = (f"{litellm_url}/v1/chat/completions", {"Authorization": "Bearer sk-bench"})
        plain = (f"{provider_url}/chat/completions", {})
        for _ in range(10):
            await timed_chat(client, *proxy)
            await timed_chat(client, *plain)
        for number in range(n):
            first, second = (proxy, plain) if number % 2 else (plain, proxy)
            a, b = await timed_chat(client, *first), await timed_chat(client, *second)
            through.append(a if first is proxy else b)
            direct.append(b if first is proxy else a)
    return through, direct


def start_litellm(command: str, provider_url: str, workdir: Path) -> tuple[subprocess.Popen, str]:
    config = workdir / "litellm.yaml"
    config.write_text(
        "model_list:\n  - model_name: chat-mini\n    litellm_params:\n      model: openai/chat-mini\n"
        f"      api_base: {provider_url}\n      api_key: sk-fake\n"
        "general_settings:\n  master_key: sk-bench\n"
        "litellm_settings:\n  telemetry: false\n"
    )
    port = free_port()
    log = workdir / "litellm.log"
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "LITELLM_LOG": "ERROR"}
    process = subprocess.Popen([command, "--config", str(config), "--port", str(port), "--host", "127.0.0.1"],
                               env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    wait_until_healthy(process, base_url, log, time.monotonic() + 120, health_path="/health/liveliness")
    return process, base_url


async def timed_gets(client: httpx.AsyncClient, url: str, n: int) -> list[float]:
    for _ in range(20):  # warm-up
        await client.get(url)
    timings = []
    for _ in range(n):
        started = time.perf_counter()
        await client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def floor(client: httpx.AsyncClient, n: int, workdir: Path) -> None:
    """What a request costs before the product does anything, with the same client: an ASGI app
    that answers at once (bench.asgi_floor) under uvicorn, Django's own 404, and an authenticated
    API read (the plans, held in process memory)."""
    port = free_port()
    log = workdir / "asgi_floor.log"
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "bench.asgi_floor:app", "--host", "127.0.0.1",
                                "--port", str(port), "--log-level", "warning"],
                               cwd=BASE_DIR, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        wait_until_healthy(process, f"http://127.0.0.1:{port}", log, time.monotonic() + 30, health_path="/")
        print(f"floor: an ASGI app that answers at once: {percentiles(await timed_gets(client, f'http://127.0.0.1:{port}/', n))}")
    finally:
        stop([process])
    print(f"floor: Django's 404: {percentiles(await timed_gets(client, '/no-such-page', n))}")
    print(f"floor: GET /api/v1/plans with an API key: {percentiles(await timed_gets(client, '/api/v1/plans', n))}")


async def p3_cache_hits(client: httpx.AsyncClient, n: int) -> list[float]:
    await recommend(client, 60_000)  # the miss that fills the cache
    for _ in range(10):
        await recommend(client, 60_000)
    return [(await recommend(client, 60_000))[0] for _ in range(n)]


def failure(exc: BaseException) -> str:
    """What a failed request says: its status and problem title, or the transport error."""
    if isinstance(exc, httpx.HTTPStatusError):
        return f"{exc.response.status_code} {exc.response.text[:200]}"
    return repr(exc)


def failures_text(failed: list[str]) -> str:
    return f"{len(failed)} failed" + (f" ({'; '.join(sorted(set(failed)))})" if failed else "")


async def in_flight(client: httpx.AsyncClient, concurrency: int, first: int) -> tuple[list[float], list[str]]:
    """`concurrency` requests at once (each new input); their latencies and the failures."""
    results = await asyncio.gather(*(recommend(client, first + i) for i in range(concurrency)), return_exceptions=True)
    failed = [failure(r) for r in results if isinstance(r, BaseException)]
    return [r[0] for r in results if not isinstance(r, BaseException)], failed


async def open_loop(client: httpx.AsyncClient, rate: float, seconds: float,
                    first: int) -> tuple[list[float], list[float], list[str]]:
    """Sends at `rate` per second for `seconds`; latency from the scheduled time, dispatch delay, failures."""
    start = time.perf_counter() + 0.1
    latencies, delays, failures = [], [], []

    async def one(number: int, scheduled: float) -> None:
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        delays.append((time.perf_counter() - scheduled) * 1000)
        try:
            await recommend(client, first + number)
        except (httpx.HTTPError, KeyError) as exc:
            failures.append(failure(exc))
            return
        latencies.append((time.perf_counter() - scheduled) * 1000)

    await asyncio.gather(*(one(i, start + i / rate) for i in range(int(rate * seconds))))
    return latencies, delays, failures


async def run(base_url: str, raw_key: str, n: int, slow: AIModel, parts: set[str], workdir: Path) -> None:
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=400)
    headers = {"Authorization": f"Bearer {raw_key}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60, limits=limits) as client:
        if "floor" in parts:
            await floor(client, n, workdir)
        if "p1" in parts:
            overhead = await p1_ours(client, n)
            print(f"P1 ours: recommendation minus its upstream critical path: {percentiles(overhead)}")
        if "p3" in parts:
            hits = await p3_cache_hits(client, n)
            print(f"P3 cache hit over HTTP: {percentiles(hits)}")
        if not parts & {"p4", "open"}:
            return

        await asyncio.to_thread(on_accurate, slow)
        single = [(await recommend(client, 61_000 + i))[0] for i in range(20)]
        base = statistics.median(single)
        print(f"P4 one request at a time, 200 ms provider: {percentiles(single)}")
        number = 62_000
        for concurrency in (50, 200) if "p4" in parts else ():
            latencies, failed = await in_flight(client, concurrency, number)
            number += concurrency
            ratio = statistics.median(latencies) / base if latencies else float("nan")
            print(f"P4 {concurrency} in flight: {percentiles(latencies)}, p50 {ratio:.2f}x one request, {failures_text(failed)}")
        for rate in (10, 25) if "open" in parts else ():
            latencies, delays, failed = await open_loop(client, rate, 10, number)
            number += int(rate * 10)
            print(f"open loop {rate}/s for 10 s, 200 ms provider: latency from schedule {percentiles(latencies)}; "
                  f"dispatch delay p50 {np.percentile(delays, 50):.1f} ms, max {max(delays):.1f} ms; {failures_text(failed)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--litellm", help="the `litellm` command of a venv that has litellm[proxy]")
    parser.add_argument("--parts", default="floor,p1,p3,p4,open", help="which rows to measure (comma-separated)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (WEB_CONCURRENCY)")
    args = parser.parse_args()

    DATABASE.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    # Limits that are checked on every request, as a customer's are, but never bind: the overhead
    # measured includes the check.
    _, raw_key = ApiKey.generate("bench.serving_overhead", rate_per_minute=10**9, daily_quota=10**9, max_queued=0)
    with provider(0.0) as instant_url, provider(0.2) as slow_url, tempfile.TemporaryDirectory() as workdir:
        on_accurate(chat_model("bench/instant", instant_url))
        slow = chat_model("bench/slow-200ms", slow_url)
        if args.litellm:
            process, litellm_url = start_litellm(args.litellm, instant_url, Path(workdir))
            try:
                through, direct = asyncio.run(p1_litellm(litellm_url, instant_url, args.n))
            finally:
                stop([process])
            added = [a - b for a, b in zip(through, direct, strict=True)]
            print(f"P1 LiteLLM proxy: one call through it minus a direct call: {percentiles(added)}; "
                  f"direct call {percentiles(direct)}")
        log = Path(workdir) / "uvicorn.log"
        print(f"uvicorn with {args.workers} worker process(es)")
        with api_servers([log], env={"LOG_LEVEL": "WARNING"}, workers=args.workers) as (base_url,):
            asyncio.run(run(base_url, raw_key, args.n, slow, set(args.parts.split(",")), Path(workdir)))


if __name__ == "__main__":
    main()
