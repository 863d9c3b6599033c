"""A model's quality counts its failures (issue 15): the figure is the mean over every benchmark
unit and live sample the model was asked to serve. A stage it failed that the rules engine then
served counts against it, never for the rules engine; a unit or a live request that ended with no
output scores 0 and never reaches a rater. Items keep the route asked and the models that served."""

import pytest
from django.utils import timezone
from pytest_httpx import HTTPXMock

from energy.models import Recommendation
from energy.offers import build_inputs
from energy.schemas import RecommendationIn
from evaluation.benchmarks import execution
from evaluation.benchmarks.actions import start_benchmark
from evaluation.benchmarks.aggregates import route_figures
from evaluation.models import AIModel, BenchmarkSuite, BenchmarkUnit, RatingItem, Scenario
from evaluation.ratings import items
from evaluation.ratings.leaderboard import comparisons
from evaluation.ratings.model_quality import model_quality
from evaluation.ratings.queue import next_pair, queue
from evaluation.seeds.benchmarks import SCENARIOS
from tests.conftest import REMOTE_CHAT_URL
from tests.evaluation.benchmarks.quality_outputs import answer
from tests.evaluation.ratings.items import INPUTS, STAGES, vote

ROUTE = {"version": "v1", "stages": {stage: ["test/asked", "builtin/rules"] for stage in STAGES}, "rules": []}


@pytest.fixture
def suite(plans, monkeypatch) -> BenchmarkSuite:
    monkeypatch.setattr("evaluation.benchmarks.actions.async_task", lambda *args, **kwargs: None)
    suite = BenchmarkSuite.objects.create(name="four")
    for scenario in SCENARIOS[:4]:
        Scenario.objects.create(suite=suite, **scenario)
    return suite


def run_on(suite: BenchmarkSuite, model: AIModel) -> list:
    run = start_benchmark(suite, [model.key], acting_user=None, repetitions=1, warmup_repetitions=0)
    execution.drive(run.pk)
    return route_figures(run)


@pytest.mark.django_db
def test_a_model_whose_every_answer_is_refused_scores_zero_and_lends_nothing_to_the_rules_engine(
        suite, remote_model, rules_model, httpx_mock: HTTPXMock):
    httpx_mock.add_response(url=REMOTE_CHAT_URL, method="POST", is_reusable=True,
                            json={"choices": [{"message": {"content": "I'd rather not say."}}]})

    figures = run_on(suite, remote_model)

    asked = RatingItem.evidence.filter(asked_key=remote_model.key)
    # Every stage fell back to the rules engine, which served a fine output...
    assert asked.count() == 4
    assert set(asked.values_list("model_key", flat=True)) == {rules_model.key}
    # ... that is no credit to the model asked, and none to the rules engine, which nobody asked.
    quality = model_quality(remote_model.key)
    assert (quality.automatic, quality.automatic_n, quality.source) == (0.0, 4, "automatic")
    assert figures[0].quality == 0.0
    assert model_quality(rules_model.key).automatic_n == 0
    assert AIModel.objects.get(key=remote_model.key).quality_score == 0.0


@pytest.mark.django_db
def test_a_unit_that_failed_without_output_scores_zero_in_the_run_and_the_catalog(suite, rules_model):
    Scenario.objects.create(suite=suite, name="broken", payload={"monthly_usage_kwh": [1, 2, 3]})

    figures = run_on(suite, rules_model)

    failed = RatingItem.evidence.get(failed=True)
    assert failed.unit.status == BenchmarkUnit.Status.FAILED
    assert (failed.asked_key, failed.automatic_quality, failed.payload) == (rules_model.key, 0.0, {})
    quality = model_quality(rules_model.key)
    assert (quality.automatic, quality.automatic_n) == (0.8, 5)  # four perfect outputs and one failure
    assert figures[0].quality == quality.automatic
    assert AIModel.objects.get(key=rules_model.key).quality_evidence == {"source": "automatic", "human_n": 0,
                                                                           "automatic_n": 5}


@pytest.mark.django_db
def test_a_failure_is_never_put_in_front_of_a_rater(suite, rules_model, rita):
    Scenario.objects.create(suite=suite, name="broken", payload={"monthly_usage_kwh": [1, 2, 3]})
    run_on(suite, rules_model)

    shown = queue(rita)

    assert len(shown) == 4
    assert not any(item.failed for item in shown)
    assert not RatingItem.objects.filter(failed=True).exists()


def live(request_id: str, models_used: dict[str, str], *, errors: list | None = None) -> Recommendation:
    """A live recommendation on ROUTE, its output the rules engine's (true in every fact) for INPUTS,
    or failed with `errors`."""
    data = answer(build_inputs(RecommendationIn.model_validate(INPUTS))).data
    return Recommendation.objects.create(
        request_id=request_id, mode="fast", status="failed" if errors else "succeeded", inputs=INPUTS, route=ROUTE,
        models_used=models_used, errors=errors or [], output=None if errors else {"data": data, "metadata": {}})


@pytest.mark.django_db
def test_a_live_recommendation_counts_for_the_route_it_asked_with_its_fallbacks_against_it(settings, plans):
    settings.RATING_LIVE_SAMPLE_PCT = 100
    served_alone = live("req-alone", dict.fromkeys(STAGES, "test/asked"))
    fell_back = live("req-fell-back", {"usage_summary": "test/asked", "plan_scoring": "test/asked",
                                       "narrative": "builtin/rules"})
    failed = live("req-failed", {}, errors=[{"stage": "narrative", "kind": "no_model", "message": "none left"}])
    cancelled = live("req-cancelled", {}, errors=[{"kind": "cancelled", "message": "the client went away"}])

    items.collect_live(now=timezone.now() + timezone.timedelta(minutes=1))

    alone, partly, nothing = (RatingItem.evidence.get(recommendation=r) for r in (served_alone, fell_back, failed))
    assert {alone.asked_key, partly.asked_key, nothing.asked_key} == {"test/asked"}
    assert partly.model_key == "usage_summary=test/asked / plan_scoring=test/asked / narrative=builtin/rules"
    # The fallback's narrative is a third of the answer the asked model did not write.
    assert partly.automatic_quality == pytest.approx(alone.automatic_quality * 2 / 3, abs=1e-4)
    assert (nothing.failed, nothing.automatic_quality) == (True, 0.0)
    # A request the client cancelled says nothing about the models: no item.
    assert not RatingItem.evidence.filter(recommendation=cancelled).exists()
    quality = model_quality("test/asked")
    assert (quality.automatic_n, alone.automatic_quality) == (3, 1.0)
    assert quality.automatic == pytest.approx((alone.automatic_quality + partly.automatic_quality) / 3, abs=1e-4)
    assert model_quality("builtin/rules").automatic_n == 0


@pytest.mark.django_db
def test_a_pair_and_its_vote_are_between_the_routes_asked_even_when_both_fell_back(rita):
    left = RatingItem.objects.create(source="benchmark", scenario_key="scenario:1", asked_key="test/x",
                                     model_key="builtin/rules", payload={"recommendations": []})
    right = RatingItem.objects.create(source="benchmark", scenario_key="scenario:1", asked_key="test/y",
                                      model_key="builtin/rules", payload={"recommendations": []})

    assert {item.pk for item in next_pair(rita)} == {left.pk, right.pk}
    vote(left, right, rita, "a")
    assert comparisons() == [("test/x", "test/y", 1.0)]
