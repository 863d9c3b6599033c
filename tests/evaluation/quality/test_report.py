"""The quality report: every check by name, the mean score, and a JSON-ready dict."""

import dataclasses
import json

import pytest

from evaluation.benchmarks.quality import CheckResult, QualityReport, check_recommendation


def test_it_runs_every_check(facts, good):
    report = check_recommendation(facts, good, candidate_keys={"builtin/rules"})
    assert list(report.checks) == ["plan_ids_exist", "numbers_match_facts", "constraints_respected", "ranking_agreement",
                                   "why_grounded", "served_by_candidate"]


def test_it_scores_the_mean_of_the_checks():
    report = QualityReport({"a": CheckResult(True, 1.0, "fine"), "b": CheckResult(False, 0.5, "half")})
    assert report.score == 0.75
    assert not report.passed


def test_it_stores_as_json(facts, data, good):
    data["recommendations"][0]["plan_id"] = 999
    spoiled = dataclasses.replace(good, data=data)
    stored = json.loads(json.dumps(check_recommendation(facts, spoiled).as_dict()))
    assert stored["passed"] is False
    assert stored["score"] < 1.0
    assert stored["checks"]["plan_ids_exist"] == {"passed": False, "score": pytest.approx(2 / 3),
                                                  "detail": "1 of 3 failed: plan 999 does not exist"}
