import pytest


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
    } <= set(paths)
    assert "post" in paths["/api/v1/recommendations"]


@pytest.mark.django_db(transaction=True)
async def test_it_documents_who_wrote_each_why(async_client):
    response = await async_client.get("/api/v1/openapi.json")

    metadata = response.json()["components"]["schemas"]["RecommendationOut"]["properties"]["metadata"]
    assert "narrative_sources" in metadata["description"]
    assert '"builtin/rules" for a why that model got wrong' in metadata["description"]
