import pytest


@pytest.mark.django_db(transaction=True)
async def test_it_does_not_list_plans_without_a_key(async_client, plans):
    response = await async_client.get("/api/v1/plans")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Cheap 12" not in response.content.decode()
