import pytest


@pytest.mark.django_db(transaction=True)
async def test_it_reports_the_database_broker_and_engine_without_a_key(async_client, engine):
    response = await async_client.get("/api/v1/health")

    assert response.status_code == 200
    health = response.json()
    assert health["status"] == "ok"
    assert health["database"]["ok"] is True
    assert health["broker"]["ok"] is True
    assert health["engine"]["status"] == "ok"
    assert health["engine"]["models"] == ["gemma-3-270m-q4_k_m.gguf"]
    assert health["engine"]["slots"] >= 1
