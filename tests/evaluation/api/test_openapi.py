import pytest

ERRORS = {"401", "403", "404", "409", "422"}


@pytest.mark.django_db(transaction=True)
async def test_it_documents_the_catalog_paths_and_their_error_responses(async_client):
    response = await async_client.get("/api/v1/openapi.json")

    paths = response.json()["paths"]
    assert {"/api/v1/models", "/api/v1/slots", "/api/v1/slots/{slot}", "/api/v1/slots/{slot}/rollback"} <= set(paths)
    assert set(paths["/api/v1/slots/{slot}"]["put"]["responses"]) == {"200", *ERRORS}
    assert set(paths["/api/v1/slots/{slot}/rollback"]["post"]["responses"]) == {"200", *ERRORS}
    assert {"status", "provider_kind"} <= {p["name"] for p in paths["/api/v1/models"]["get"]["parameters"]}
