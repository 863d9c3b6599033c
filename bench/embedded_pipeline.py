"""How fast, and how often valid, is a `fast` recommendation on the embedded model?

Runs the real pipeline (Gemma 3 270M via llama.cpp, then the rules fallback) over a fixed set of
usage profiles against the seeded plan catalog, and prints per-stage latency percentiles (numpy
linear method, with n), how often each stage was served by the model rather than the rules, and
how many of the recommended plans' whys the model wrote.

    .venv/bin/python -m bench.embedded_pipeline [--rounds 2]

Uses its own SQLite file under var/ (migrated and seeded on first use). No DB writes per call:
the caller here is the adapter itself, so the numbers are model + orchestration time only.
"""

import argparse
import asyncio
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SQLITE_PATH", os.path.join(os.path.dirname(__file__), "..", "var", "bench.sqlite3"))

import django

django.setup()

import numpy as np  # noqa: E402
from asgiref.sync import sync_to_async  # noqa: E402
from django.core.management import call_command  # noqa: E402

from energy.actions import resolve_route  # noqa: E402
from energy.llm import dispatch  # noqa: E402
from energy.offers import build_inputs  # noqa: E402
from energy.pipeline.orchestrator import run_pipeline  # noqa: E402
from energy.schemas import RecommendationIn  # noqa: E402

PROFILES = {
    "summer-peak": [900, 850, 800, 900, 1100, 1500, 1800, 1900, 1500, 1100, 900, 950],
    "high": [2100, 2000, 2200, 2300, 2500, 2900, 3100, 3200, 2800, 2400, 2200, 2100],
    "low-seasonal": [450, 420, 380, 300, 280, 350, 420, 480, 400, 320, 380, 470],
    "flat": [1000] * 12,
    "winter-peak": [1400, 1300, 1000, 800, 700, 750, 800, 820, 760, 800, 1000, 1350],
}


class DirectCaller:
    async def complete(self, model, request):
        return await dispatch.complete(model, request)


def percentiles(samples: list[float]) -> str:
    p50, p90, p95 = np.percentile(samples, [50, 90, 95], method="linear")
    return f"p50 {p50:,.0f} ms, p90 {p90:,.0f} ms, p95 {p95:,.0f} ms (n={len(samples)})"


async def main(rounds: int) -> None:
    await sync_to_async(call_command)("migrate", verbosity=0)
    await sync_to_async(call_command)("seed_demo", verbosity=0)
    route = await sync_to_async(resolve_route)("fast")
    totals: list[float] = []
    stage_ms: dict[str, list[float]] = {}
    served_by_model: dict[str, int] = {}
    whys = whys_by_model = 0
    runs = 0
    for round_number in range(rounds + 1):  # round 0 warms the model and its prompt cache
        for name, usage in PROFILES.items():
            payload = RecommendationIn(monthly_usage_kwh=usage, preferences={"prefer_renewable": name == "flat"},
                                       current_plan={"rate_cents": 15, "base_fee": 9.95})
            inputs = await sync_to_async(build_inputs)(payload)
            started = time.perf_counter()
            result = await run_pipeline(inputs, route=route, caller=DirectCaller())
            elapsed = (time.perf_counter() - started) * 1000
            if round_number == 0:
                continue
            runs += 1
            totals.append(elapsed)
            for stage, timings in result.performance.items():
                stage_ms.setdefault(stage, []).append(timings["total_ms"])
                served_by_model[stage] = served_by_model.get(stage, 0) + (result.models[stage] != "builtin/rules")
            whys += len(result.narrative_sources)
            whys_by_model += sum(source["source"] != "builtin/rules" for source in result.narrative_sources)
    print(f"fast route: {' -> '.join(m.key for m in route.chain('narrative'))}")
    print(f"end to end: {percentiles(totals)}")
    for stage, samples in stage_ms.items():
        print(f"  {stage}: {percentiles(samples)}; served by the model in {served_by_model[stage]}/{runs}")
    print(f"whys written by the model: {whys_by_model}/{whys} (the others replaced with the rules engine's)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    asyncio.run(main(parser.parse_args().rounds))
