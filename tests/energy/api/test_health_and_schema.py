"""The endpoints that describe the service: the health report and the OpenAPI schema."""

import pytest


@pytest.mark.django_db(transaction=True)
async def test_it_says_up_without_a_key_and_reports_the_database_broker_and_engine_with_one(
    async_client, engine, auth_headers,
):
    response = await async_client.get("/api/v1/health")

    assert response.status_code == 200
    assert response.json() == {"status": "up"}
    details = (await async_client.get("/api/v1/health/details", headers=auth_headers)).json()
    assert details["status"] == "up"
    assert details["database"]["ok"] is True
    assert details["broker"]["ok"] is True
    assert details["engine"]["status"] == "ok"
    assert details["engine"]["models"] == ["gemma-3-270m-q4_k_m.gguf"]
    assert details["engine"]["slots"] >= 1


@pytest.mark.django_db(transaction=True)
async def test_it_serves_the_schema_with_every_path(async_client):
    response = await async_client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/v1/recommendations",
        "/api/v1/recommendations/{recommendation_id}",
        "/api/v1/plans",
        "/api/v1/health",
        "/api/v1/health/details",
    } <= set(paths)
    assert "post" in paths["/api/v1/recommendations"]


@pytest.mark.django_db(transaction=True)
async def test_it_documents_who_wrote_each_why(async_client):
    response = await async_client.get("/api/v1/openapi.json")

    metadata = response.json()["components"]["schemas"]["RecommendationOut"]["properties"]["metadata"]
    assert "narrative_sources" in metadata["description"]
    assert '"builtin/rules" for a why that model got wrong' in metadata["description"]
