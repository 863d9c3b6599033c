import pytest


@pytest.mark.django_db(transaction=True)
async def test_it_documents_the_503_problem_with_retry_after_in_the_schema(async_client):
    schema = (await async_client.get("/api/v1/openapi.json")).json()

    documented = schema["paths"]["/api/v1/recommendations"]["post"]["responses"]["503"]
    assert "Retry-After" in documented["headers"]
    content = documented["content"]["application/json"]
    assert content["schema"] == {"$ref": "#/components/schemas/ProblemOut"}
    assert content["example"]["status"] == 503
    assert content["example"]["errors"][0]["model"]
