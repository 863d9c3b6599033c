"""P6 (issue 13): does the benchmark harness report what the provider takes?

    .venv/bin/python -m bench.harness_accuracy [--repetitions 20]

A provider fixed at 50 ms (bench.fake_provider: the loopback OpenAI-compatible server of
tests/fakes, in a process of its own, sleeping 50 ms before every answer) serves every stage of
one route. The harness runs it as the cluster does (`execution.drive`, the code of the
drive_benchmark task, in this process, one unit at a time) over the standard suite, on a SQLite
file of its own (var/bench_harness.sqlite3, recreated).

Each stage of this route is one upstream call, so each stage's reported latency should be what
the provider takes as a client sees it. That reference is measured in the same run, per stage:
the p50 of the stage's own request (captured from one pipeline run) sent straight to the
provider by a plain httpx.AsyncClient as the pipeline sends it (usage summary and plan scoring
together, then the narrative), before and after the harness runs (the fixed 50 ms, plus the loopback
round trip and the provider's writing of that stage's answer). Printed: the reference, each
stage's p50 as the harness reports it (aggregates, warm-up excluded) and the difference; the
target is |difference| ≤ 1 ms.
"""

import argparse
import asyncio
import io
import os
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE = BASE_DIR / "var" / "bench_harness.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["SQLITE_PATH"] = str(DATABASE)

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.fake_provider import provider  # noqa: E402
from bench.serving_overhead import chat_model  # noqa: E402
from energy.llm import dispatch, openai_compatible  # noqa: E402
from energy.llm.base import STAGES, Route  # noqa: E402
from energy.offers import build_inputs  # noqa: E402
from energy.pipeline.orchestrator import run_pipeline  # noqa: E402
from energy.schemas import RecommendationIn  # noqa: E402
from evaluation.benchmarks import execution  # noqa: E402
from evaluation.benchmarks.actions import start_benchmark  # noqa: E402
from evaluation.benchmarks.aggregates import route_figures  # noqa: E402
from evaluation.benchmarks.execution import benchmark_route  # noqa: E402
from evaluation.models import BenchmarkSuite, Scenario  # noqa: E402
from tests.fakes.stage_answers import answer_for  # noqa: E402

FIXED_S = 0.05
TARGET_MS = 1.0


class Direct:
    """A pipeline caller that calls the adapters directly, recording nothing."""

    async def complete(self, model, request):
        return await dispatch.complete(model, request)


def stage_bodies(scenario: Scenario, route: Route) -> dict[str, tuple[str, dict]]:
    """Each stage's request (URL and body) exactly as the adapter sends it, captured from one run
    of the pipeline on the scenario (the provider's answer, and so its length, depends on the stage)."""
    bodies: dict[str, tuple[str, dict]] = {}
    real = openai_compatible.stream_completion

    async def capturing(model, url, *, headers, body, dialect, on_text=None):
        chat = "messages" in body
        stage, _ = answer_for(body["messages"][-1]["content"] if chat else body["prompt"], chat=chat)
        bodies[stage] = (url, body)
        return await real(model, url, headers=headers, body=body, dialect=dialect, on_text=on_text)

    openai_compatible.stream_completion = capturing
    try:
        inputs = build_inputs(RecommendationIn.model_validate(scenario.payload))
        asyncio.run(run_pipeline(inputs, route=route, caller=Direct()))
    finally:
        openai_compatible.stream_completion = real
    return bodies


def direct_calls(bodies: dict[str, tuple[str, dict]], n: int) -> dict[str, list[float]]:
    """Each stage's request sent straight to the provider by a plain httpx.AsyncClient (the client
    library and I/O model the harness uses, none of its code), timed to the end of the body, `n`
    times, as the pipeline sends them: usage summary and plan scoring together, then the narrative."""
    took: dict[str, list[float]] = {stage: [] for stage in STAGES}

    async def call(client: httpx.AsyncClient, stage: str, keep: bool) -> None:
        url, body = bodies[stage]
        started = time.perf_counter()
        async with client.stream("POST", url, json=body) as response:
            response.raise_for_status()
            async for _ in response.aiter_bytes():
                pass
        if keep:
            took[stage].append((time.perf_counter() - started) * 1000)

    async def calls() -> None:
        async with httpx.AsyncClient(timeout=30) as client:
            for number in range(n + 5):
                keep = number >= 5  # the first ones open the connections
                await asyncio.gather(call(client, "usage_summary", keep), call(client, "plan_scoring", keep))
                await call(client, "narrative", keep)

    asyncio.run(calls())
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repetitions", type=int, default=20, help="per scenario of the standard suite")
    args = parser.parse_args()

    DATABASE.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    suite = BenchmarkSuite.objects.get(name="standard")
    with provider(FIXED_S) as base_url:
        model = chat_model("bench/fixed-50ms", base_url)
        bodies = stage_bodies(suite.scenarios.first(), benchmark_route({stage: model.key for stage in STAGES}))
        run = start_benchmark(suite, [model.key], acting_user=None, repetitions=args.repetitions,
                              warmup_repetitions=3, label="bench.harness_accuracy")
        # The provider measured before and after the run, in case it drifted.
        before = direct_calls(bodies, 100)
        execution.drive(run.pk, budget_s=3600)
        after = direct_calls(bodies, 100)
    (figures,) = route_figures(run)
    print(f"provider fixed at {FIXED_S * 1000:.0f} ms; harness: {figures.units} units, {figures.failed} failed; "
          f"recommendation p50 {figures.latency.p50:.2f} ms (two calls on the critical path)")
    worst = 0.0
    for stage in STAGES:
        direct = before[stage] + after[stage]
        direct_p50 = float(np.percentile(direct, 50))
        latency = figures.stages[stage].latency
        difference = latency.p50 - direct_p50
        worst = max(worst, abs(difference))
        print(f"  {stage}: the same request sent directly p50 {direct_p50:.2f} ms (n={len(direct)}; "
              f"{np.percentile(before[stage], 50):.2f} before the run, {np.percentile(after[stage], 50):.2f} after); "
              f"harness reports p50 {latency.p50:.2f} ms, p95 {latency.p95:.2f} ms (n={latency.n}): {difference:+.2f} ms "
              f"({latency.p50 - FIXED_S * 1000:+.2f} ms from the fixed {FIXED_S * 1000:.0f} ms)")
    print(f"P6: worst |harness p50 - direct p50| = {worst:.2f} ms (target <= {TARGET_MS:g} ms): "
          f"{'met' if worst <= TARGET_MS else 'NOT met'}")

if __name__ == "__main__":
    main()
