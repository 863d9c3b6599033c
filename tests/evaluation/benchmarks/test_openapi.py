import pytest


@pytest.mark.django_db(transaction=True)
async def test_it_documents_the_benchmark_paths_and_their_error_responses(async_client):
    response = await async_client.get("/api/v1/openapi.json")

    paths = response.json()["paths"]
    assert set(paths["/api/v1/benchmarks"]["post"]["responses"]) == {"202", "401", "403", "404", "422"}
    assert set(paths["/api/v1/benchmarks"]["get"]["responses"]) == {"200", "401", "422"}
    assert set(paths["/api/v1/benchmarks/{run_id}"]["get"]["responses"]) == {"200", "401", "404", "422"}
    assert "requests_per_day" in {p["name"] for p in paths["/api/v1/benchmarks/{run_id}"]["get"]["parameters"]}
