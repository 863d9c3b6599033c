import uuid

import pytest
from asgiref.sync import sync_to_async

from energy.models import ApiKey
from tests.energy.api.queue import queue_recommendation


@pytest.mark.django_db(transaction=True)
async def test_it_hides_a_recommendation_from_another_key(async_client, auth_headers, plans, rules_only_catalog,
                                                         monkeypatch):
    recommendation_id, _ = await queue_recommendation(async_client, auth_headers, monkeypatch)
    _, bobs_raw_key = await sync_to_async(ApiKey.generate)("bob")
    path = f"/api/v1/recommendations/{recommendation_id}"

    as_bob = await async_client.get(path, headers={"Authorization": f"Bearer {bobs_raw_key}"})
    as_alice = await async_client.get(path, headers=auth_headers)

    assert as_bob.status_code == 404
    assert as_bob["Content-Type"] == "application/problem+json"
    assert as_bob.json()["status"] == 404
    assert recommendation_id not in as_bob.content.decode()
    assert as_alice.status_code == 200


@pytest.mark.django_db(transaction=True)
async def test_it_answers_404_for_an_id_that_does_not_exist(async_client, auth_headers):
    response = await async_client.get(f"/api/v1/recommendations/{uuid.uuid4()}", headers=auth_headers)

    assert response.status_code == 404
