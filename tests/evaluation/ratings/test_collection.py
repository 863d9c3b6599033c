"""Collecting outputs to rate (issue 12, no writes on GET): rating items are written when outputs
are produced (a benchmark unit's end; the scheduled task for live samples), never by a page or API
read. collect() queues each finished benchmark output once, with the model that served it, and a
configured share of live recommendations; the task considers every succeeded recommendation once,
in order, a bounded batch per run, behind a high-water mark that waits for a running one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from energy.models import Recommendation
from evaluation import tasks
from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import BenchmarkRun, BenchmarkSuite, BenchmarkUnit, RatingCollectionMark, RatingItem, Scenario
from evaluation.ratings import items
from evaluation.seeds.benchmarks import SCENARIOS
from tests.conftest import key_headers
from tests.evaluation.ratings.items import INPUTS, PAYLOAD, QUEUE_URL, STAGES

LATER = timedelta(minutes=1)  # past the collector's settling time


def live(n: int, status: str = Recommendation.Status.SUCCEEDED) -> list[Recommendation]:
    return Recommendation.objects.bulk_create([
        Recommendation(request_id=f"req-{n}-{i}", mode="fast", status=status, inputs={**INPUTS, "n": i},
                       output={"data": PAYLOAD, "metadata": {}}, models_used=dict.fromkeys(STAGES, "test/x"))
        for i in range(n)
    ])


def recommendation(request_id: str, models_used: dict[str, str]) -> Recommendation:
    return Recommendation.objects.create(request_id=request_id, mode="fast", status=Recommendation.Status.SUCCEEDED,
                                         inputs=INPUTS, output={"data": PAYLOAD, "metadata": {}}, models_used=models_used)


def sampled(recommendations: list[Recommendation]) -> set:
    return {r.pk for r in recommendations if items.in_live_sample(r.pk)}


def collected() -> set:
    return set(RatingItem.objects.filter(source=RatingItem.Source.LIVE).values_list("recommendation_id", flat=True))


@pytest.fixture
def rules_suite(plans, rules_model, monkeypatch) -> BenchmarkSuite:
    """Two standard scenarios, over the shared test plans; start_benchmark queues no driver."""
    monkeypatch.setattr("evaluation.benchmarks.actions.async_task", lambda *args, **kwargs: None)
    suite = BenchmarkSuite.objects.create(name="two")
    for scenario in SCENARIOS[:2]:
        Scenario.objects.create(suite=suite, **scenario)
    return suite


@pytest.fixture
def finished_run(rules_suite, rules_model) -> BenchmarkRun:
    """The rules engine on the two scenarios, twice each after one warm-up, run to the end."""
    run = start_benchmark(rules_suite, [rules_model.key], acting_user=None, repetitions=2, warmup_repetitions=1)
    execution.drive(run.pk)
    return run


@pytest.mark.django_db
def test_it_writes_no_item_when_the_queue_page_opens(rita_client, settings):
    settings.RATING_LIVE_SAMPLE_PCT = 100
    live(3)

    response = rita_client.get(QUEUE_URL)

    assert response.status_code == 200
    assert response.context["waiting"] == 0
    assert not RatingItem.objects.exists()


@pytest.mark.django_db
def test_it_writes_no_item_when_the_api_serves_the_next_one(client, rita, settings):
    settings.RATING_LIVE_SAMPLE_PCT = 100
    live(3)

    response = client.get("/api/v1/ratings/next", headers=key_headers(rita))

    assert response.status_code == 204
    assert not RatingItem.objects.exists()


@pytest.mark.django_db
def test_it_queues_a_units_output_when_the_unit_ends(rules_suite, rules_model):
    run = start_benchmark(rules_suite, [rules_model.key], acting_user=None, repetitions=2, warmup_repetitions=1)

    execution.drive(run.pk)  # nothing collects afterwards: the items come from the units' ends

    measured = run.units.filter(status=BenchmarkUnit.Status.SUCCEEDED, is_warmup=False)
    assert measured.count() == 4
    assert set(RatingItem.objects.values_list("unit_id", flat=True)) == set(measured.values_list("id", flat=True))
    unit = measured.first()
    item = unit.rating_item
    assert (item.model_key, item.payload, item.inputs) == (rules_model.key, unit.output, unit.scenario.payload)
    assert (item.scenario_key, item.automatic_quality) == (f"scenario:{unit.scenario_id}", unit.quality_score)
    assert items.collect() == 0


@pytest.mark.django_db
def test_it_queues_nothing_for_a_result_that_lost_its_lease(rules_suite, rules_model):
    run = start_benchmark(rules_suite, [rules_model.key], acting_user=None, repetitions=1, warmup_repetitions=0)
    unit, token = execution.claim_next(run.pk)
    BenchmarkUnit.objects.filter(pk=unit.pk).update(claim_token="someone-else")

    assert execution.execute_unit(unit, token) is False
    assert not RatingItem.objects.exists()


@pytest.mark.django_db
def test_it_queues_each_finished_benchmark_output_once_with_the_model_that_served_it(finished_run, rules_model):
    RatingItem.objects.all().delete()
    measured = finished_run.units.filter(status=BenchmarkUnit.Status.SUCCEEDED, is_warmup=False)

    assert items.collect() == measured.count() == 4
    assert items.collect() == 0
    unit = measured.first()
    item = RatingItem.objects.get(unit=unit)
    assert (item.model_key, item.payload, item.inputs) == (rules_model.key, unit.output, unit.scenario.payload)
    assert item.scenario_key == f"scenario:{unit.scenario_id}"
    assert item.automatic_quality == unit.quality_score
    assert not RatingItem.objects.filter(unit__is_warmup=True).exists()


@pytest.mark.django_db
def test_it_samples_live_recommendations_by_the_configured_share(settings):
    one_model = recommendation("req-1", dict.fromkeys(STAGES, "test/x"))
    mixed = recommendation("req-2", {"usage_summary": "test/x", "plan_scoring": "test/x", "narrative": "builtin/rules"})

    settings.RATING_LIVE_SAMPLE_PCT = 0
    assert items.collect() == 0
    settings.RATING_LIVE_SAMPLE_PCT = 100
    assert items.collect() == 2

    assert RatingItem.objects.get(recommendation=one_model).model_key == "test/x"
    assert RatingItem.objects.get(recommendation=mixed).model_key == \
        "usage_summary=test/x / plan_scoring=test/x / narrative=builtin/rules"
    assert RatingItem.objects.get(recommendation=mixed).payload == PAYLOAD  # the data, not the metadata


@pytest.mark.django_db
def test_it_collects_sampled_live_recommendations_beyond_the_200_newest(settings):
    settings.RATING_LIVE_SAMPLE_PCT = 50
    recommendations = live(600)
    newest = set(Recommendation.objects.order_by("-created_at").values_list("id", flat=True)[:200])

    created = tasks.collect_rating_items()

    assert created == len(sampled(recommendations)) == len(collected())
    assert collected() == sampled(recommendations)
    assert collected() - newest  # some of them are older than the 200 newest


@pytest.mark.django_db
def test_it_considers_each_recommendation_once(settings):
    settings.RATING_LIVE_SAMPLE_PCT = 50
    first = live(40)
    in_sample = sampled(first)
    assert items.collect(now=timezone.now() + LATER) == len(in_sample)

    settings.RATING_LIVE_SAMPLE_PCT = 100  # the ones left out are past the mark: not read again
    assert items.collect(now=timezone.now() + LATER) == 0
    later = live(5)
    assert items.collect(now=timezone.now() + LATER) == 5
    assert collected() == in_sample | {r.pk for r in later}
    assert RatingCollectionMark.objects.get().recommendation_id == max(later, key=lambda r: (r.created_at, str(r.pk))).pk


@pytest.mark.django_db
def test_it_reads_a_bounded_batch_per_run_and_resumes(settings):
    settings.RATING_LIVE_SAMPLE_PCT = 100
    recommendations = live(250)
    now = timezone.now() + LATER

    assert [items.collect(batch=100, now=now) for _ in range(4)] == [100, 100, 50, 0]
    assert collected() == {r.pk for r in recommendations}


@pytest.mark.django_db
def test_it_waits_for_a_running_recommendation_before_moving_past_it(settings):
    settings.RATING_LIVE_SAMPLE_PCT = 100
    (running,) = live(1, status=Recommendation.Status.RUNNING)
    done = live(2)

    assert items.collect(now=timezone.now() + LATER) == 2
    assert RatingCollectionMark.objects.get().recommendation_id is None  # still before the running one
    Recommendation.objects.filter(pk=running.pk).update(status=Recommendation.Status.SUCCEEDED)

    assert items.collect(now=timezone.now() + LATER) == 1
    assert collected() == {running.pk, *(r.pk for r in done)}


@pytest.mark.django_db
def test_it_moves_past_a_recommendation_stuck_longer_than_the_stale_limit(settings):
    settings.RATING_LIVE_SAMPLE_PCT = 100
    (stuck,) = live(1, status=Recommendation.Status.RUNNING)
    live(1)
    later = timezone.now() + timedelta(seconds=settings.STALE_RECOMMENDATION_S + 60)

    assert items.collect(now=later) == 1
    Recommendation.objects.filter(pk=stuck.pk).update(status=Recommendation.Status.SUCCEEDED)

    assert items.collect(now=later) == 0  # too late: it was given up on
