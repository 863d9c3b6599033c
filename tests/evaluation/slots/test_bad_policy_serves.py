"""A routing policy that cannot be applied, written straight into the database (around the audited
edit), degrades routing to the default policy: serving goes on, the answer says so, and the
Recommendation row is written."""

import json
import logging

import pytest

from energy.models import Recommendation
from evaluation.catalog.routes import active_route
from evaluation.models import RoutingPolicy
from tests.energy.api.payloads import RECOMMENDATIONS, recommendation_body

pytestmark = pytest.mark.django_db

BAD_RULES = [{"stage": "*"}]


@pytest.fixture
def bad_policy(rules_only_catalog) -> RoutingPolicy:
    return RoutingPolicy.objects.create(pk=1, rules=BAD_RULES, stage_slots={"fast": {"narrative": "accurate"}})


def test_it_answers_and_records_the_recommendation(client, auth_headers, plans, bad_policy):
    response = client.post(RECOMMENDATIONS, data=json.dumps(recommendation_body(mode="fast")),
                           content_type="application/json", headers=auth_headers)

    assert response.status_code == 200
    answer = response.json()
    assert [error["kind"] for error in answer["metadata"]["errors"]][:1] == ["policy_invalid"]
    assert "default routing served this request" in answer["metadata"]["errors"][0]["message"]
    row = Recommendation.objects.get()
    assert row.status == Recommendation.Status.SUCCEEDED
    assert row.errors[0]["kind"] == "policy_invalid"
    assert "rules: rule 1 lacks signal" in row.errors[0]["message"]  # for the operators


def test_it_routes_by_the_default_policy_and_logs_a_warning(bad_policy, caplog):
    with caplog.at_level(logging.WARNING, logger="evaluation.catalog.routes"):
        route = active_route("fast")

    assert route.rules == ()
    assert [ref.key for ref in route.chains["narrative"]] == ["builtin/rules"]
    assert route.warnings[0]["kind"] == "policy_invalid"
    assert ";policy@invalid;" in route.version
    assert "cannot be applied" in caplog.text


def test_it_carries_no_warning_for_a_good_policy(rules_only_catalog):
    RoutingPolicy.objects.create(pk=1, rules=[{"stage": "*", "signal": "prompt_tokens", "above": 10, "slot": "accurate"}])

    route = active_route("fast")

    assert route.warnings == ()
    assert "warnings" not in route.as_dict()
    assert len(route.rules) == 1
