"""Who may call the API: a bearer key that was issued and is active; a missing, unknown or deactivated
key is refused, and one key cannot see another key's recommendations."""

import uuid

import pytest
from asgiref.sync import sync_to_async

from energy.models import ApiKey, Recommendation
from tests.energy.api.payloads import post_recommendation, recommendation_body
from tests.energy.api.queue import queue_recommendation


@pytest.mark.django_db(transaction=True)
async def test_it_serves_a_valid_key_and_notes_when_it_was_used(async_client, api_key, auth_headers, plans):
    key, _ = api_key

    response = await async_client.get("/api/v1/plans", headers=auth_headers)

    assert response.status_code == 200
    assert (await ApiKey.objects.aget(pk=key.pk)).last_used_at is not None


@pytest.mark.django_db(transaction=True)
async def test_it_answers_401_with_a_problem_and_a_bearer_challenge(async_client, plans, rules_only_catalog):
    response = await post_recommendation(async_client, {}, recommendation_body())

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 401
    assert problem["title"] == "Unauthorized"
    assert "Bearer" in problem["detail"]
    assert await Recommendation.objects.acount() == 0


@pytest.mark.django_db(transaction=True)
async def test_it_rejects_a_key_that_was_never_issued(async_client, api_key, plans, rules_only_catalog):
    _, raw = api_key
    headers = {"Authorization": f"Bearer {raw[:-4]}XXXX"}

    response = await post_recommendation(async_client, headers, recommendation_body())

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["status"] == 401


@pytest.mark.django_db(transaction=True)
async def test_it_rejects_a_scheme_other_than_bearer(async_client, api_key, plans, rules_only_catalog):
    _, raw = api_key

    response = await post_recommendation(async_client, {"Authorization": f"Basic {raw}"}, recommendation_body())

    assert response.status_code == 401


@pytest.mark.django_db(transaction=True)
async def test_it_rejects_a_deactivated_key(async_client, api_key, auth_headers, plans, rules_only_catalog):
    key, _ = api_key
    await ApiKey.objects.filter(pk=key.pk).aupdate(active=False)

    response = await post_recommendation(async_client, auth_headers, recommendation_body())

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert await Recommendation.objects.acount() == 0


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
