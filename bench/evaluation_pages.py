"""The evaluation pages at scale: the switchboard, the pair page and the leaderboard.

    .venv/bin/python -m bench.evaluation_pages [--recommendations 100000] [--items 5000] [--renders 30]

Uses a throwaway SQLite file, var/bench_evaluation_pages.sqlite3 (deleted, migrated and seeded
with seed_demo on every run). Seeds with bulk_create, inside the last 24 hours (the switchboard's
window): --recommendations succeeded recommendations (3 stages each, about 60 % served by the
`fast` slot's model, 30 % by the `accurate` slot's, the rest mixed with the rules engine; 5 %
with a stage error naming the model), each with its 3 LLMCall rows as the serving side writes
them; a canary on `fast` (so the page also computes both arms' automatic quality); --items
rating items over 1,000 inputs from three models, 2,000 rubric ratings and 1,500 pairwise
comparisons by two raters.

Then renders each page --renders times with Django's test client, logged in as the seeded
`operator` (who may switch slots and rate), after one first render that is reported apart (for
the leaderboard it is the only one that fits Bradley–Terry; the others read the cached fit).
Prints median and p95 (numpy linear) with n, in milliseconds, as a Markdown table.
"""

import argparse
import io
import os
import random
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DB_PATH = BASE_DIR / "var" / "bench_evaluation_pages.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["SQLITE_PATH"] = str(DB_PATH)

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from energy.llm.base import STAGES  # noqa: E402
from energy.models import LLMCall, Recommendation  # noqa: E402
from evaluation.models import PairwiseComparison, QualityRating, RatingItem, Slot  # noqa: E402
from evaluation.slots import live_stats  # noqa: E402

PAGES = (("switchboard", "/admin/switchboard/"), ("pair", "/rate/pair/"), ("leaderboard", "/rate/leaderboard/"))
BATCH = 5000


def seed_recommendations(count: int, models: tuple[str, str], rng: random.Random) -> None:
    now = timezone.now()
    created_at = Recommendation._meta.get_field("created_at")
    created_at.auto_now_add = False  # the rows are spread over the window, not all "now"
    try:
        for start in range(0, count, BATCH):
            recommendations, calls = [], []
            for _ in range(min(BATCH, count - start)):
                at = now - timedelta(seconds=rng.uniform(60, 23 * 3600))
                draw = rng.random()
                if draw < 0.6:
                    used = dict.fromkeys(STAGES, models[0])
                elif draw < 0.9:
                    used = dict.fromkeys(STAGES, models[1])
                else:
                    used = {**dict.fromkeys(STAGES, models[0]), "narrative": "builtin/rules"}
                errors = []
                if rng.random() < 0.05:
                    errors = [{"stage": "narrative", "model": used["usage_summary"], "kind": "bad_format",
                               "message": "a why was refused"}]
                recommendation = Recommendation(
                    id=uuid.uuid4(), request_id=f"bench-{start}-{len(recommendations)}", mode="fast",
                    status=Recommendation.Status.SUCCEEDED, inputs={"usage": [rng.randint(300, 2500)] * 12},
                    output={"data": {"recommendations": []}, "metadata": {}}, models_used=used, errors=errors,
                    execution_ms=rng.uniform(200, 2000), created_at=at, started_at=at, finished_at=at,
                )
                recommendations.append(recommendation)
                for stage, key in used.items():
                    duration = rng.lognormvariate(5.5, 0.5)
                    failed = rng.random() < 0.02
                    calls.append(LLMCall(
                        recommendation=recommendation, stage=stage, model_key=key, provider_kind="openai_compatible",
                        status=LLMCall.Status.FAILED if failed else LLMCall.Status.SUCCEEDED, started_at=at,
                        finished_at=at + timedelta(milliseconds=duration), duration_ms=duration,
                        input_tokens=400, output_tokens=200, cost_usd=Decimal("0.00012"),
                    ))
            Recommendation.objects.bulk_create(recommendations)
            LLMCall.objects.bulk_create(calls)
    finally:
        created_at.auto_now_add = True


def seed_ratings(count: int, raters: list, rng: random.Random) -> None:
    models = ("bench/model-a", "bench/model-b", "bench/model-c")
    RatingItem.objects.bulk_create([
        RatingItem(source=RatingItem.Source.BENCHMARK, scenario_key=f"scenario:{n % 1000}", model_key=models[n % 3],
                   asked_key=models[n % 3], payload={"recommendations": []}, inputs={"n": n % 1000},
                   automatic_quality=rng.random())
        for n in range(count)
    ], batch_size=BATCH)
    ids = list(RatingItem.objects.order_by("id").values_list("id", "scenario_key", "model_key"))
    QualityRating.objects.bulk_create([
        QualityRating(item_id=ids[n % len(ids)][0], rater=raters[n % 2], why_sensible=rng.randint(1, 5),
                      values_reasonable=rng.randint(1, 5), overall=rng.randint(1, 5))
        for n in range(2000)
    ], batch_size=BATCH)
    by_scenario: dict[str, list[tuple[int, str]]] = {}
    for pk, scenario, model in ids:
        by_scenario.setdefault(scenario, []).append((pk, model))
    comparisons = []
    for rows in list(by_scenario.values())[:750]:
        (a, _), (b, _) = rows[0], next(row for row in rows if row[1] != rows[0][1])
        for rater in raters:
            comparisons.append(PairwiseComparison(item_a_id=a, item_b_id=b, rater=rater, choice=rng.choice("ab")))
    PairwiseComparison.objects.bulk_create(comparisons[:1500], batch_size=BATCH)


def timed(client: Client, url: str, renders: int) -> tuple[float, list[float]]:
    def once() -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed
    first = once()
    return first, [once() for _ in range(renders)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recommendations", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="time the pages over the last run's data, without seeding")
    args = parser.parse_args()
    if args.reuse:
        time_pages(args.renders)
        return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    rng = random.Random(1)
    fast, accurate = Slot.objects.get(name="fast"), Slot.objects.get(name="accurate")
    Slot.objects.filter(pk=fast.pk).update(challenger=accurate.model, challenger_share=10,
                                           canary_started_at=timezone.now() - timedelta(hours=12))
    started = time.perf_counter()
    seed_recommendations(args.recommendations, (fast.model.key, accurate.model.key), rng)
    users = get_user_model().objects
    raters = [users.get(username="operator"), users.get(username="staff")]
    seed_ratings(args.items, raters, rng)
    rolled = live_stats.roll_up()  # as the scheduled evaluation.tasks.roll_up_live_figures does
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {Recommendation.objects.count()} recommendations, {LLMCall.objects.count()} LLM calls, "
          f"{RatingItem.objects.count()} rating items, {QualityRating.objects.count()} ratings, "
          f"{PairwiseComparison.objects.count()} comparisons, {rolled} live-figure buckets rolled up, "
          f"in {time.perf_counter() - started:.0f} s")
    time_pages(args.renders)


def time_pages(renders: int) -> None:
    live_stats.roll_up()  # the buckets closed since the seeding, as the every-minute schedule would
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="operator"))
    print("\n| page | first render (ms) | median (ms) | p95 (ms) | n |\n|---|---|---|---|---|")
    for name, url in PAGES:
        first, samples = timed(client, url, renders)
        p50, p95 = np.percentile(samples, [50, 95], method="linear")
        print(f"| {name} `{url}` | {first:.0f} | {p50:.0f} | {p95:.0f} | {len(samples)} |")


if __name__ == "__main__":
    main()
