"""A candidate that gets one why wrong keeps the others, and the figures say so: its narrative
is not valid, a malformed why counts against JSON validity, its quality is credited only for
the whys it wrote, the unit counts as an error, and the route reports the share of recommended
plans whose why the candidate wrote."""

import json

import pytest

from energy.llm import rules
from evaluation.benchmarks import execution
from evaluation.benchmarks.aggregates import route_figures
from evaluation.figures import rate
from evaluation.models import BenchmarkUnit

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
