import pytest
from asgiref.sync import sync_to_async

from evaluation.slots.actions import switch_slot
from tests.energy.api.payloads import post_recommendation, recommendation_body


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
