"""How fast does the engine generate when other processes want the cores too, for each way its
threads may wait for work?

llama.cpp's threads are OpenMP threads, which spin on a core while they wait (GNU OpenMP: about
300,000 rounds, GOMP_SPINCOUNT) before they sleep. Measured here: one request of 150 tokens,
--runs times, on a quiet machine and beside 1 and 2 core-bound processes (Python busy loops,
standing in for web processes and workers), for each setting.

    .venv/bin/python -m bench.engine_spin [--runs 3]

Prints the engine's own generation speed (its `timings.predicted_per_second`) per run.
"""

import argparse
import os
import subprocess
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

import httpx  # noqa: E402

from bench.servers import free_port, stop, wait_until_healthy  # noqa: E402
from energy.engine.process import command  # noqa: E402

SETTINGS = {
    "GNU OpenMP default": {},
    "GOMP_SPINCOUNT=1000 (the product's)": {"GOMP_SPINCOUNT": "1000"},
    "OMP_WAIT_POLICY=PASSIVE": {"OMP_WAIT_POLICY": "PASSIVE"},
}
BODY = {"prompt": "Count: 1, 2, 3, 4,", "max_tokens": 150, "temperature": 0, "ignore_eos": True}
BUSY_LOOP = [sys.executable, "-c", "while True: pass"]


def tokens_per_s(url: str) -> float:
    return httpx.post(f"{url}/v1/completions", json=BODY, timeout=120).json()["timings"]["predicted_per_second"]


def measure(env: dict[str, str], runs: int) -> dict[int, list[float]]:
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("GOMP_", "OMP_"))}
    log = open(os.devnull, "wb")  # noqa: SIM115 (closed with the process below)
    engine = subprocess.Popen(command(port=port), env={**environment, **env}, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    busy: list[subprocess.Popen] = []
    try:
        wait_until_healthy(engine, url, "engine", time.monotonic() + 60, health_path="/health")
        tokens_per_s(url)  # warm-up
        speeds = {}
        for competitors in (0, 1, 2):
            while len(busy) < competitors:
                busy.append(subprocess.Popen(BUSY_LOOP))
            speeds[competitors] = [tokens_per_s(url) for _ in range(runs)]
        return speeds
    finally:
        stop([engine, *busy])
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| threads wait by | quiet | 1 busy core | 2 busy cores |")
    print("|---|---|---|---|")
    for name, env in SETTINGS.items():
        speeds = measure(env, args.runs)
        cells = [" / ".join(f"{s:.0f}" for s in speeds[n]) for n in (0, 1, 2)]
        print(f"| {name} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
