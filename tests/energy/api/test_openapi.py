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
