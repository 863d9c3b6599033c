import pytest

from energy.models import Recommendation
from tests.energy.api.payloads import post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_accepts_the_request_and_hands_it_to_the_task_queue(
    async_client, api_key, auth_headers, plans, rules_only_catalog, monkeypatch,
):
    queued_tasks = []
    monkeypatch.setattr("energy.actions.async_task", lambda *args, **kwargs: queued_tasks.append(args))

    response = await post_recommendation(async_client, auth_headers, recommendation_body(mode="accurate"), wait=False)

    assert response.status_code == 202
    accepted = response.json()
    assert accepted["status"] == "queued"
    assert accepted["status_url"] == f"/api/v1/recommendations/{accepted['id']}"
    recommendation = await Recommendation.objects.aget(pk=accepted["id"])
    assert recommendation.status == Recommendation.Status.QUEUED
    assert recommendation.mode == "accurate"
    assert recommendation.api_key_id == api_key[0].pk
    assert recommendation.output is None
    assert queued_tasks == [("energy.tasks.run_recommendation", accepted["id"])]
