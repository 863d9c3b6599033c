"""Aggregates: the figures of a route, from its measured units only."""

import json
from decimal import Decimal

import numpy as np
import pytest

from energy.llm import rules
from evaluation.benchmarks import execution
from evaluation.benchmarks.aggregates import DAYS_PER_MONTH, route_figures, stage_latency_ms
from evaluation.figures import SMALL_SAMPLE, percentiles, rate
from evaluation.models import BenchmarkUnit


@pytest.mark.parametrize(("n", "reliable"), [(1, False), (SMALL_SAMPLE - 1, False), (SMALL_SAMPLE, True), (500, True)])
def test_it_flags_p99_as_unreliable_under_100_samples(n, reliable):
    figures = percentiles([float(i) for i in range(n)])

    assert figures.n == n
    assert figures.p99_reliable is reliable
    assert figures.as_dict()["p99_reliable"] is reliable


@pytest.mark.django_db
def test_it_computes_numpys_linear_percentiles_over_the_stored_samples_with_n(run):
    execution.drive(run.pk)
    measured = list(run.units.filter(is_warmup=False).order_by("id"))
    # Irregular, skewed samples, so that every percentile lands between two of them.
    for position, unit in enumerate(measured):
        unit.total_ms = 3.0 + position**1.7
        # A stage's latency is the model's time plus building its prompt and parsing its answer.
        unit.stages["plan_scoring"].update(upstream_ms=1.0 + (position * 7919 % 13) / 3, prompt_build_ms=0.25,
                                           parse_ms=0.5, total_ms=1000.0)
        unit.save(update_fields=["total_ms", "stages"])

    [figures] = route_figures(run)

    totals = [u.total_ms for u in BenchmarkUnit.objects.filter(run=run, is_warmup=False)]
    expected = np.percentile(totals, [50, 90, 95, 99], method="linear").round(3).tolist()
    latency = figures.latency
    assert [latency.p50, latency.p90, latency.p95, latency.p99] == expected
    assert latency.n == len(totals) == 16
    assert latency.p99_reliable is False
    stage_samples = [u.stages["plan_scoring"]["upstream_ms"] + 0.75
                     for u in BenchmarkUnit.objects.filter(run=run, is_warmup=False)]
    stage = figures.stages["plan_scoring"].latency
    assert [stage.p50, stage.p90, stage.p95, stage.p99] == np.percentile(
        stage_samples, [50, 90, 95, 99], method="linear").round(3).tolist()
    assert stage.n == 16


@pytest.mark.django_db
def test_it_counts_failed_units_and_units_with_a_rejected_stage_as_errors(run):
    execution.drive(run.pk)
    failed, rejected, invalid_json, *_ = run.units.filter(is_warmup=False).order_by("id")
    BenchmarkUnit.objects.filter(pk=failed.pk).update(status=BenchmarkUnit.Status.FAILED, error="ProviderError: boom")
    # The candidate's narrative was rejected and the rules engine served it instead.
    rejected.stages["narrative"]["served_by_candidate"] = False
    rejected.save(update_fields=["stages"])
    BenchmarkUnit.objects.filter(pk=invalid_json.pk).update(json_valid=False)

    [figures] = route_figures(run)

    assert (figures.units, figures.failed) == (16, 1)
    assert figures.error_rate == round(2 / 16, 4)
    assert figures.json_validity_rate == round(14 / 15, 4)  # over the 15 units that produced an output
    assert figures.latency.n == 15


@pytest.mark.django_db
def test_it_leaves_warm_up_units_out_of_every_figure(run):
    execution.drive(run.pk)
    run.units.filter(is_warmup=True).update(total_ms=1_000_000.0, json_valid=False, quality_score=0.0, cost_usd=5)
    run.units.filter(is_warmup=False).update(total_ms=2.0)

    [figures] = route_figures(run)

    assert figures.units == 16
    assert (figures.latency.n, figures.latency.p99) == (16, 2.0)
    assert (figures.json_validity_rate, figures.quality, figures.cost_per_recommendation) == (1.0, 1.0, 0.0)


@pytest.mark.django_db
def test_it_leaves_tries_that_never_reached_the_model_out_of_the_stage_latency(run):
    execution.drive(run.pk)
    skipped, *_ = run.units.filter(is_warmup=False).order_by("id")
    # The candidate had failed the unit before its narrative: the narrative skipped it at once.
    skipped.stages["narrative"].update(kind="failed_earlier", valid=False, total_ms=0.002)
    skipped.save(update_fields=["stages"])
    measured = BenchmarkUnit.objects.filter(run=run, is_warmup=False).count()

    [figures] = route_figures(run)

    narrative = figures.stages["narrative"]
    assert narrative.latency.n == measured - 1
    assert narrative.valid_rate == round((measured - 1) / measured, 4)
    assert figures.stages["plan_scoring"].latency.n == measured


@pytest.mark.django_db
def test_it_projects_the_monthly_cost_from_the_mean_cost_per_recommendation(run):
    execution.drive(run.pk)
    measured = list(run.units.filter(is_warmup=False).order_by("id"))
    costs = [Decimal("0.0009"), Decimal("0.0001"), Decimal("0.0001"), Decimal("0.0001")] * 4  # mean 0.0003, median 0.0001
    for unit, cost in zip(measured, costs, strict=True):
        unit.cost_usd = cost
        unit.stages["narrative"]["cost_usd"] = float(cost)
        unit.save(update_fields=["cost_usd", "stages"])

    [figures] = route_figures(run)

    assert figures.cost_per_recommendation == pytest.approx(0.0003)
    assert figures.stages["narrative"].cost_usd_mean == pytest.approx(0.0003)
    assert DAYS_PER_MONTH == 30
    assert figures.monthly_cost(10_000) == 90.0  # 0.0003 $ × 10,000 a day × 30 days
    assert figures.monthly_cost(250) == 2.25
    assert figures.as_dict(requests_per_day=10_000)["monthly_cost"] == {"requests_per_day": 10_000, "usd": 90.0}


# A candidate that gets one why wrong keeps the others, and the figures say so: its narrative
# is not valid, a malformed why counts against JSON validity, its quality is credited only for
# the whys it wrote, the unit counts as an error, and the route reports the share of recommended
# plans whose why the candidate wrote.
CANDIDATE = "test/rules-a"


@pytest.fixture
def first_why_empty(monkeypatch):
    """The candidate answers like the rules engine, but leaves the first plan's why empty."""
    answer_as_rules = rules.complete

    async def complete(model, request):
        completion = await answer_as_rules(model, request)
        if model.key == CANDIDATE and request.stage == "narrative":
            answer = json.loads(completion.text)
            answer["explanations"][0]["why"] = ""
            completion.text = json.dumps(answer)
        return completion

    monkeypatch.setattr(rules, "complete", complete)


@pytest.mark.django_db
def test_it_records_the_whys_the_candidate_wrote(run, first_why_empty):
    execution.drive(run.pk)

    units = list(BenchmarkUnit.objects.filter(run=run, is_warmup=False))
    assert units
    assert {u.status for u in units} == {BenchmarkUnit.Status.SUCCEEDED}
    for unit in units:
        narrative = unit.stages["narrative"]
        assert narrative["whys"] == len(unit.output["recommendations"]) >= 2
        assert narrative["whys_by_candidate"] == narrative["whys"] - 1
        assert (narrative["served_by_candidate"], narrative["valid"]) == (True, False)
        assert narrative["rejected_parts"] == [{"plan_id": unit.output["recommendations"][0]["plan_id"],
                                                "kind": "bad_format"}]
        assert unit.json_valid is False


@pytest.mark.django_db
def test_it_credits_the_candidate_only_for_the_whys_it_wrote(run, first_why_empty):
    execution.drive(run.pk)

    for unit in BenchmarkUnit.objects.filter(run=run, is_warmup=False):
        checks = [c["score"] for name, c in unit.quality["checks"].items() if name != "served_by_candidate"]
        whys = unit.stages["narrative"]["whys"]
        written = (2 + (whys - 1) / whys) / 3
        assert unit.quality_score == round(sum(checks) / len(checks) * written, 4)
        assert unit.quality_score < 1.0
        assert unit.quality["checks"]["served_by_candidate"]["passed"] is False


@pytest.mark.django_db
def test_it_reports_the_share_of_whys_by_the_candidate(run, first_why_empty):
    execution.drive(run.pk)
    narratives = [u.stages["narrative"] for u in BenchmarkUnit.objects.filter(run=run, is_warmup=False)]

    [figures] = route_figures(run)

    assert figures.whys_by_candidate_rate == rate(sum(n["whys"] - 1 for n in narratives), sum(n["whys"] for n in narratives))
    assert figures.whys_by_candidate_rate < 1.0
    assert figures.error_rate == 1.0
    assert figures.stages["narrative"].valid_rate == 0.0
    assert figures.as_dict()["whys_by_candidate_rate"] == figures.whys_by_candidate_rate


@pytest.mark.django_db
def test_it_reports_every_why_by_a_candidate_that_wrote_them_all(run):
    execution.drive(run.pk)

    [figures] = route_figures(run)

    assert (figures.whys_by_candidate_rate, figures.error_rate, figures.json_validity_rate) == (1.0, 0.0, 1.0)


def test_a_stage_try_without_an_answer_counts_its_wall_time():
    assert stage_latency_ms({"total_ms": 2000.0, "prompt_build_ms": 0.1, "parse_ms": 0.0}) == 2000.0
    answered = {"total_ms": 70.0, "upstream_ms": 50.0, "prompt_build_ms": 0.1, "parse_ms": 0.2}
    assert stage_latency_ms(answered) == pytest.approx(50.3)
