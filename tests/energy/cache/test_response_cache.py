"""The response cache: a repeat (or the same input written differently) is a hit; a different input, a
switched slot, a disabled model or a TTL of zero is a miss."""

import json

import pytest
from asgiref.sync import sync_to_async

from energy.models import Recommendation
from evaluation.models import AIModel, Slot
from evaluation.slots.actions import switch_slot
from tests.energy.api.payloads import USAGE, assert_recommendation_shape, post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_answers_a_repeat_from_the_cache_and_records_it(
    async_client, auth_headers, plans, rules_only_catalog, pipeline_runs,
):
    body = recommendation_body(mode="fast")

    first = (await post_recommendation(async_client, auth_headers, body)).json()
    second_response = await post_recommendation(async_client, {**auth_headers, "X-Request-ID": "repeat-2"}, body)

    assert second_response.status_code == 200
    second = second_response.json()
    assert_recommendation_shape(second)
    assert len(pipeline_runs) == 1
    assert first["metadata"]["cache"]["hit"] is False
    cache = second["metadata"]["cache"]
    assert cache["hit"] is True
    assert cache["shared"] is False
    assert cache["key"] == first["metadata"]["cache"]["key"]
    assert cache["age_s"] >= 0
    assert second["data"] == first["data"]
    assert second["id"] != first["id"]
    assert second["metadata"]["request_id"] == "repeat-2"
    row = await Recommendation.objects.aget(pk=second["id"])
    assert row.status == Recommendation.Status.SUCCEEDED
    assert row.cache_hit is True
    assert row.output == second
    assert row.request_id == "repeat-2"
    assert row.performance == {}  # no stage ran for this request
    assert (await Recommendation.objects.aget(pk=first["id"])).cache_hit is False
    assert await Recommendation.objects.acount() == 2


@pytest.mark.django_db(transaction=True)
async def test_it_treats_the_same_input_written_differently_as_the_same(
    async_client, auth_headers, plans, rules_only_catalog, pipeline_runs,
):
    as_ints = {"monthly_usage_kwh": USAGE, "preferences": {"max_monthly_budget": 250, "prefer_renewable": False}}
    # Floats for ints, other key order, a budget with cents, and defaults spelled out.
    as_floats = ('{"preferences": {"prefer_renewable": false, "max_monthly_budget": "250.00"}, "top_n": 3, '
                 f'"mode": "fast", "monthly_usage_kwh": {json.dumps([float(kwh) for kwh in USAGE])}}}')

    first = (await post_recommendation(async_client, auth_headers, as_ints)).json()
    second = (await post_recommendation(async_client, auth_headers, as_floats)).json()

    assert second["metadata"]["cache"]["hit"] is True
    assert second["metadata"]["cache"]["key"] == first["metadata"]["cache"]["key"]
    assert len(pipeline_runs) == 1


@pytest.mark.django_db(transaction=True)
async def test_it_runs_the_pipeline_again_for_a_different_input(
    async_client, auth_headers, plans, rules_only_catalog, pipeline_runs,
):
    await post_recommendation(async_client, auth_headers, recommendation_body(top_n=3))

    other = await post_recommendation(async_client, auth_headers, recommendation_body(top_n=2))

    assert other.json()["metadata"]["cache"]["hit"] is False
    assert len(pipeline_runs) == 2


@pytest.mark.django_db(transaction=True)
async def test_it_does_not_serve_an_answer_cached_before_a_switch(
    async_client, auth_headers, plans, rules_only_catalog, spare_rules_model, pipeline_runs,
):
    body = recommendation_body(mode="fast")
    before = (await post_recommendation(async_client, auth_headers, body)).json()

    await sync_to_async(switch_slot)("fast", spare_rules_model, acting_user=None, reason="try the spare")
    after = (await post_recommendation(async_client, auth_headers, body)).json()

    assert after["metadata"]["cache"]["hit"] is False
    assert after["metadata"]["route_version"] != before["metadata"]["route_version"]
    assert len(pipeline_runs) == 2


@pytest.mark.django_db(transaction=True)
async def test_it_does_not_serve_an_answer_cached_before_a_model_of_the_route_was_disabled(
    async_client, auth_headers, plans, rules_model, spare_rules_model, pipeline_runs,
):
    # fast → the spare, then the accurate slot's rules engine: disabling the spare changes the
    # chain but no slot, so only the catalog revision in the route version can tell.
    await Slot.objects.acreate(name="fast", model=spare_rules_model)
    await Slot.objects.acreate(name="accurate", model=rules_model)
    body = recommendation_body(mode="fast")
    before = (await post_recommendation(async_client, auth_headers, body)).json()
    assert set(before["metadata"]["models"].values()) == {"builtin/rules-spare"}

    await AIModel.objects.filter(pk=spare_rules_model.pk).aupdate(status=AIModel.Status.DISABLED)
    after = (await post_recommendation(async_client, auth_headers, body)).json()

    assert after["metadata"]["cache"]["hit"] is False
    assert set(after["metadata"]["models"].values()) == {"builtin/rules"}
    assert len(pipeline_runs) == 2


@pytest.mark.django_db(transaction=True)
async def test_it_runs_every_request_when_the_ttl_is_zero(
    async_client, auth_headers, plans, rules_only_catalog, pipeline_runs, settings,
):
    settings.RESPONSE_CACHE_TTL_S = 0
    body = recommendation_body()

    answers = [(await post_recommendation(async_client, auth_headers, body)).json() for _ in range(2)]

    assert [answer["metadata"]["cache"] for answer in answers] == [{"hit": False}, {"hit": False}]
    assert len(pipeline_runs) == 2
