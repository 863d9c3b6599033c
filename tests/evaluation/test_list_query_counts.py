"""Every list of the evaluation app answers in a number of queries that does not grow with its
rows: the admin changelists, the switchboard, the benchmark pages, the rating pages and the API
lists. Each test reads a page, adds rows (with the related objects a page shows beside them),
reads it again, and asserts the same count, under a ceiling that makes a regression visible; and
that the added rows did reach the page, so a page that shows nothing cannot pass."""

from collections.abc import Callable
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone

from energy.models import LLMCall, Recommendation
from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import (
    AIModel,
    BenchmarkRun,
    BenchmarkSuite,
    CatalogChange,
    LiveFigureBucket,
    ModelProbe,
    PairwiseComparison,
    Provider,
    RatingCollectionMark,
    RatingItem,
    Scenario,
    Slot,
    SlotChange,
    Tier,
)
from evaluation.seeds.accounts import OPERATORS, PRODUCT_STAFF
from evaluation.seeds.benchmarks import SCENARIOS
from tests.conftest import rules_kind_model
from tests.evaluation.ratings.items import client_for, judge, judging_of, make_item, rate, rater
from tests.query_counts import KEY_LIMITS, assert_flat, measure, queries

pytestmark = pytest.mark.django_db

serial = count()  # unique names across a test's rows


# The cast: rules-engine models (no network), a two-scenario suite, benchmark runs that never queue a task.


@pytest.fixture
def no_task_queue(monkeypatch) -> None:
    monkeypatch.setattr("evaluation.benchmarks.actions.async_task", lambda *args, **kwargs: None)


@pytest.fixture
def suite(plans) -> BenchmarkSuite:
    suite = BenchmarkSuite.objects.create(name="two")
    for scenario in SCENARIOS[:2]:
        Scenario.objects.create(suite=suite, **scenario)
    return suite


def new_models(provider: Provider, n: int) -> list[AIModel]:
    return [rules_kind_model(f"test/rules-{next(serial)}", provider) for _ in range(n)]


def new_run(suite: BenchmarkSuite, models: list[AIModel], user=None, *, finished: bool = False) -> BenchmarkRun:
    run = start_benchmark(suite, [model.key for model in models], acting_user=user, repetitions=1, warmup_repetitions=0,
                          label=f"run {next(serial)}")
    if finished:
        execution.drive(run.pk)
    return BenchmarkRun.objects.get(pk=run.pk)


def result_count(response) -> int:
    return response.context["cl"].result_count


# Admin changelists (a superuser, who sees every column and action).


def grow_providers(n: int) -> None:
    for _ in range(n):
        Provider.objects.create(name=f"provider {next(serial)}", kind=Provider.Kind.RULES, secret_env="PROVIDER_KEY_SOME")


def grow_models(n: int) -> None:
    for _ in range(n):
        provider = Provider.objects.create(name=f"provider {next(serial)}", kind=Provider.Kind.RULES)
        new_models(provider, 1)


def grow_slots(n: int) -> None:
    provider = Provider.objects.create(name=f"provider {next(serial)}", kind=Provider.Kind.RULES)
    for _ in range(n):
        champion, challenger = new_models(provider, 2)
        Slot.objects.create(name=f"slot-{next(serial)}", model=champion, challenger=challenger, challenger_share=10,
                            canary_started_at=timezone.now())


def grow_slot_changes(n: int) -> None:
    provider = Provider.objects.create(name=f"provider {next(serial)}", kind=Provider.Kind.RULES)
    user = rater(f"user {next(serial)}", None)
    for _ in range(n):
        old, new = new_models(provider, 2)
        slot = Slot.objects.create(name=f"slot-{next(serial)}", model=new)
        SlotChange.objects.create(slot=slot, from_model=old, to_model=new, acting_user=user, reason="faster")


def grow_catalog_changes(n: int) -> None:
    user = rater(f"user {next(serial)}", None)
    for _ in range(n):
        CatalogChange.objects.create(object_type=CatalogChange.ObjectType.TIER, object_id=next(serial), object_label="t",
                                     before={"description": "a"}, after={"description": "b"}, acting_user=user,
                                     reason="clearer")


def grow_probes(n: int) -> None:
    provider = Provider.objects.create(name=f"provider {next(serial)}", kind=Provider.Kind.RULES)
    for model in new_models(provider, n):
        ModelProbe.objects.create(model=model, slot_name="fast", ok=True, latency_ms=1.5)


def grow_buckets(n: int) -> None:
    start = timezone.now().replace(second=0, microsecond=0)
    for _ in range(n):
        LiveFigureBucket.objects.create(model_key=f"test/m-{next(serial)}", start=start, finished=1)


def grow_marks(n: int) -> None:
    for _ in range(n):
        RatingCollectionMark.objects.create(name=f"mark {next(serial)}")


def grow_tiers(n: int) -> None:
    for _ in range(n):
        Tier.objects.create(name=f"tier-{next(serial)}", assignments={"fast": "builtin/rules"})


def grow_suites(n: int) -> None:
    for _ in range(n):
        suite = BenchmarkSuite.objects.create(name=f"suite {next(serial)}")
        for scenario in SCENARIOS[:2]:
            Scenario.objects.create(suite=suite, **scenario)


CHANGELISTS = {
    # model: (grow n rows with their related objects, ceiling)
    "provider": (grow_providers, 8),
    "aimodel": (grow_models, 9),
    "slot": (grow_slots, 8),
    "slotchange": (grow_slot_changes, 11),
    "catalogchange": (grow_catalog_changes, 10),
    "modelprobe": (grow_probes, 12),
    "livefigurebucket": (grow_buckets, 11),
    "ratingcollectionmark": (grow_marks, 8),
    "tier": (grow_tiers, 8),
    "benchmarksuite": (grow_suites, 8),
}


@pytest.mark.parametrize("model", CHANGELISTS)
def test_an_admin_changelist_reads_the_same_queries_for_more_rows(admin_client, model):
    grow, ceiling = CHANGELISTS[model]
    grow(3)

    before, after = measure(lambda: queries(admin_client, f"/admin/evaluation/{model}/"), lambda: grow(3), result_count)

    assert_flat(before, after, ceiling)


def test_the_benchmark_run_changelist_reads_the_same_queries_for_more_runs(admin_client, suite, rules_a, operator,
                                                                             no_task_queue):
    for _ in range(3):
        new_run(suite, [rules_a], operator)

    def grow() -> None:
        for _ in range(3):
            new_run(suite, [rules_a, *new_models(rules_a.provider, 1)], operator)

    before, after = measure(lambda: queries(admin_client, "/admin/evaluation/benchmarkrun/"), grow, result_count)

    assert_flat(before, after, 11)


# The switchboard.


@pytest.fixture
def slots(rules_a, rules_model) -> dict[str, Slot]:
    return {"fast": Slot.objects.create(name="fast", model=rules_a),
            "accurate": Slot.objects.create(name="accurate", model=rules_model)}


def live_traffic(model_key: str, n: int) -> None:
    for _ in range(n):
        recommendation = Recommendation.objects.create(
            request_id=f"r{next(serial)}", mode="fast", status=Recommendation.Status.SUCCEEDED, inputs={},
            models_used={"narrative": model_key}, errors=[{"stage": "plan_scoring", "model": model_key}])
        LLMCall.objects.create(recommendation=recommendation, stage="narrative", model_key=model_key, provider_kind="rules",
                               status=LLMCall.Status.SUCCEEDED, started_at=timezone.now(), duration_ms=12.0,
                               cost_usd=Decimal("0.0001"))


def switchboard_history(slots: dict[str, Slot], operator, n: int) -> None:
    """Per round: a switch of each slot, an audited edit of a new model (one of them of its provider),
    a probe of each slot's model, live traffic of each, and a tier."""
    provider = slots["fast"].model.provider
    for _ in range(n):
        for slot in slots.values():
            (replacement,) = new_models(provider, 1)
            SlotChange.objects.create(slot=slot, from_model=slot.model, to_model=replacement, acting_user=operator,
                                      reason="try")
            slot.model = replacement
            slot.save()
            ModelProbe.objects.create(model=replacement, slot_name=slot.name, ok=True, latency_ms=2.0)
            live_traffic(replacement.key, 2)
        (edited,) = new_models(provider, 1)
        CatalogChange.objects.create(object_type=CatalogChange.ObjectType.MODEL, object_id=edited.pk,
                                     object_label=edited.key, before={"display_name": "old"},
                                     after={"display_name": edited.display_name, "provider": provider.name},
                                     acting_user=operator, reason="rename")
        CatalogChange.objects.create(object_type=CatalogChange.ObjectType.PROVIDER, object_id=provider.pk,
                                     object_label=provider.name, before={"enabled": False}, after={"enabled": True},
                                     acting_user=operator, reason="on")
        Tier.objects.create(name=f"tier-{next(serial)}", assignments={"fast": "builtin/rules"})


def test_the_switchboard_reads_the_same_queries_for_more_changes_probes_traffic_and_tiers(admin_client, slots, operator):
    switchboard_history(slots, operator, 3)

    before, after = measure(lambda: queries(admin_client, "/admin/switchboard/"),
                            lambda: switchboard_history(slots, operator, 3),
                            lambda response: len(response.context["changes"]) + len(response.context["tiers"]))

    assert_flat(before, after, 36)


# The benchmark pages.


def test_the_benchmark_index_reads_the_same_queries_for_more_runs(admin_client, suite, rules_a, operator, no_task_queue):
    for _ in range(3):
        new_run(suite, [rules_a], operator)

    def grow() -> None:
        for _ in range(3):
            new_run(suite, [rules_a, *new_models(rules_a.provider, 1)], operator)

    before, after = measure(lambda: queries(admin_client, "/admin/benchmarks/"), grow,
                            lambda response: len(response.context["runs"]))

    assert_flat(before, after, 6)


@pytest.fixture
def small_and_large_runs(suite, rules_a, operator, no_task_queue) -> tuple[BenchmarkRun, BenchmarkRun]:
    """Two finished runs: one route, and four routes; every model's outputs rated."""
    small = new_run(suite, [rules_a], operator, finished=True)
    large = new_run(suite, [rules_a, *new_models(rules_a.provider, 3)], operator, finished=True)
    judge = rater("judge", PRODUCT_STAFF)
    for route in large.routes.all():
        key = route.stage_models["narrative"]
        rate(make_item(key, scenario_key=f"s:{key}", automatic_quality=0.9), judge, 4, wrong_plan=True)
    return small, large


def page_of(run: BenchmarkRun, page: str) -> str:
    return {"run": f"/admin/benchmarks/runs/{run.pk}/", "progress": f"/admin/benchmarks/runs/{run.pk}/progress.json",
            "matrix": f"/admin/benchmarks/matrix/?run={run.pk}"}[page]


def routes_shown(page: str) -> Callable[[object], int]:
    if page == "run":
        return lambda response: len(response.context["progress"].routes)
    if page == "progress":
        return lambda response: len(response.json()["routes"])
    return lambda response: len(response.context["matrix"].rows)


@pytest.mark.parametrize(("page", "ceiling"), [("run", 11), ("progress", 7), ("matrix", 12)])
def test_a_run_page_reads_the_same_queries_for_a_run_of_more_routes(admin_client, small_and_large_runs, page, ceiling):
    small, large = small_and_large_runs
    admin_client.get(page_of(small, page))
    shown = routes_shown(page)

    before, first = queries(admin_client, page_of(small, page))
    after, second = queries(admin_client, page_of(large, page))

    assert shown(second) > shown(first)
    assert_flat(before, after, ceiling)


def test_the_comparison_reads_the_same_queries_for_more_runs(admin_client, suite, rules_a, operator, no_task_queue):
    runs = [new_run(suite, [rules_a, *new_models(rules_a.provider, n)], operator, finished=True) for n in range(4)]

    def compare(chosen: list[BenchmarkRun]):
        return queries(admin_client, f"/admin/benchmarks/compare/?runs={','.join(str(run.pk) for run in chosen)}")

    compare(runs[:1])
    before, first = compare(runs[:1])
    after, second = compare(runs)

    assert len(second.context["comparison"].columns) == 4 > len(first.context["comparison"].columns)
    assert_flat(before, after, 8)


# The rating pages (a rater in Product staff, logged in to the admin).


@pytest.fixture
def rita(db):
    return rater("rita", PRODUCT_STAFF)


def rated_items(rita, n: int) -> list[RatingItem]:
    """n outputs of two new models each for one new input, each rated by a new rater and by Rita,
    and each pair compared by Rita."""
    items = []
    for _ in range(n):
        scenario = f"scenario:{next(serial)}"
        pair = [make_item(f"test/m-{next(serial)}", scenario_key=scenario, automatic_quality=0.5) for _ in range(2)]
        other = rater(f"rater {next(serial)}", PRODUCT_STAFF)
        for item in pair:
            rate(item, other, 3, hallucinated_number=True)
            rate(item, rita, 4)
        PairwiseComparison.objects.create(item_a=pair[0], item_b=pair[1], rater=rita, choice=PairwiseComparison.Choice.A)
        items += pair
    return items


def unrated_items(n: int) -> None:
    for _ in range(n):
        scenario = f"scenario:{next(serial)}"
        for _ in range(2):
            make_item(f"test/m-{next(serial)}", scenario_key=scenario, automatic_quality=0.5)


def test_the_rating_queue_reads_the_same_queries_for_more_items_and_ratings(rita):
    client = client_for(rita)
    rated_items(rita, 3)
    unrated_items(3)

    def grow() -> None:
        rated_items(rita, 3)
        unrated_items(3)

    before, after = measure(lambda: queries(client, "/rate/"), grow,
                            lambda response: response.context["waiting"] + response.context["rated"])

    assert_flat(before, after, 10)


@pytest.mark.parametrize(("url", "status", "ceiling"), [("/rate/next/", 302, 7), ("/rate/pair/", 200, 10)])
def test_what_a_rater_sees_next_reads_the_same_queries_for_more_items(rita, url, status, ceiling):
    client = client_for(rita)
    rated_items(rita, 3)
    unrated_items(3)

    before, after = measure(lambda: queries(client, url, status=status), lambda: (rated_items(rita, 3), unrated_items(3)))

    assert_flat(before, after, ceiling)


def test_an_item_page_reads_the_same_queries_for_more_ratings_of_others(rita):
    client = client_for(rita)
    item = make_item("test/m", automatic_quality=0.5)
    rate(item, rita, 4)

    def others(n: int) -> None:
        for _ in range(n):
            rate(item, rater(f"rater {next(serial)}", PRODUCT_STAFF), 3, wrong_plan=True)

    others(3)
    before, after = measure(lambda: queries(client, f"/rate/item/{item.public_id}/"), lambda: others(3),
                            lambda response: len(response.context["others"]))

    assert_flat(before, after, 10)


def test_the_leaderboard_reads_the_same_queries_for_more_models(rita):
    client = client_for(rater("olivia", OPERATORS))  # a rater's own leaderboard has no per-model rows
    rated_items(rita, 3)

    before, after = measure(lambda: queries(client, "/rate/leaderboard/"), lambda: rated_items(rita, 3),
                            lambda response: len(response.context["standings"].quality))

    assert_flat(before, after, 16)


def judged_items(rita, n: int) -> None:
    """n new judges, each scoring rated outputs (one of them failed)."""
    for item in rated_items(rita, 2):
        for _ in range(n):
            judging = judging_of(f"judges/j-{next(serial)}")
            judge(item, judging, 4)
            judge(make_item("test/x"), judging, None)


def test_the_leaderboard_reads_the_same_queries_for_more_judges(rita):
    client = client_for(rater("olivia", OPERATORS))
    judged_items(rita, 1)

    before, after = measure(lambda: queries(client, "/rate/leaderboard/"), lambda: judged_items(rita, 3),
                            lambda response: len(response.context["standings"].judges))

    assert_flat(before, after, 18)


# The API lists.


def test_the_models_list_reads_the_same_queries_for_more_models(client, auth_headers):
    grow_models(3)

    before, after = measure(lambda: queries(client, "/api/v1/models", **auth_headers), lambda: grow_models(3),
                            lambda response: len(response.json()))

    assert_flat(before, after, 3 + KEY_LIMITS)


def test_the_slots_list_reads_the_same_queries_for_more_slots_changes_and_probes(client, auth_headers, slots, operator):
    def grow() -> None:
        switchboard_history(slots, operator, 1)
        grow_slot_changes(3)
        grow_slots(3)

    grow()
    before, after = measure(lambda: queries(client, "/api/v1/slots", **auth_headers), grow,
                            lambda response: len(response.json()))

    assert_flat(before, after, 5 + KEY_LIMITS)


def test_the_benchmark_list_reads_the_same_queries_for_more_runs(client, auth_headers, suite, rules_a, operator,
                                                                  no_task_queue):
    def grow() -> None:
        for _ in range(3):
            new_run(suite, [rules_a, *new_models(rules_a.provider, 1)], operator)

    grow()
    before, after = measure(lambda: queries(client, "/api/v1/benchmarks?limit=50", **auth_headers), grow,
                            lambda response: len(response.json()))

    assert_flat(before, after, 5 + KEY_LIMITS)


def test_a_benchmark_run_reads_the_same_queries_for_more_routes(client, auth_headers, small_and_large_runs):
    small, large = small_and_large_runs
    client.get(f"/api/v1/benchmarks/{small.pk}", headers=auth_headers)

    before, first = queries(client, f"/api/v1/benchmarks/{small.pk}", **auth_headers)
    after, second = queries(client, f"/api/v1/benchmarks/{large.pk}", **auth_headers)

    assert len(second.json()["aggregates"]) > len(first.json()["aggregates"])
    assert_flat(before, after, 9 + KEY_LIMITS)


def test_the_next_rating_item_reads_the_same_queries_for_more_items(client, operator, operator_headers):
    rated_items(operator, 3)
    unrated_items(3)

    before, after = measure(lambda: queries(client, "/api/v1/ratings/next", **operator_headers),
                            lambda: (rated_items(operator, 3), unrated_items(3)))

    assert_flat(before, after, 5 + KEY_LIMITS)


def test_a_models_quality_reads_the_same_queries_for_more_ratings(client, operator_headers, rules_model, rita):
    def grow() -> None:
        for _ in range(3):
            item = make_item(rules_model.key, scenario_key=f"s:{next(serial)}", automatic_quality=0.7)
            rate(item, rita, 4, ignored_preference=True)
            rate(item, rater(f"rater {next(serial)}", PRODUCT_STAFF), 2)

    grow()
    before, after = measure(lambda: queries(client, f"/api/v1/models/{rules_model.key}/quality", **operator_headers), grow,
                            lambda response: response.json()["human_n"])

    assert_flat(before, after, 8 + KEY_LIMITS)
