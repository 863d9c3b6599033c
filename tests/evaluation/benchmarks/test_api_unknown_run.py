import pytest


@pytest.mark.django_db(transaction=True)
async def test_it_answers_404_for_a_run_that_does_not_exist(async_client, auth_headers):
    response = await async_client.get("/api/v1/benchmarks/999", headers=auth_headers)

    assert response.status_code == 404
    assert response.json()["detail"] == "there is no benchmark run 999"
