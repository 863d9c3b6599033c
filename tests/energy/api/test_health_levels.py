"""Health in levels: anyone hears up, degraded or down (503, so that a load balancer acts); the readings
behind it (database, broker, engine) need a key with the `read` scope, and carry no address or
exception text even then. Up with a live engine: test_health_and_schema."""

import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from energy.models import ApiKey

pytestmark = pytest.mark.django_db(transaction=True)

HEALTH, DETAILS = "/api/v1/health", "/api/v1/health/details"
CLOSED_ENGINE = "http://127.0.0.1:9"


@pytest.fixture
def engine_down(settings):
    settings.ENGINE_URL = CLOSED_ENGINE


async def test_it_says_degraded_and_nothing_more_without_a_key(async_client, engine_down):
    response = await async_client.get(HEALTH)

    assert response.status_code == 200
    assert response.json() == {"status": "degraded"}


def test_it_says_down_with_503_when_the_database_does_not_answer(client, engine_down, tmp_path):
    """A real database that cannot be reached: SQLite's file, or PostgreSQL's database, is not there."""
    name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = str(tmp_path / "missing" / "database")
    try:
        response = client.get(HEALTH)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name

    assert response.status_code == 503
    assert response.json() == {"status": "down"}


async def test_it_reports_the_readings_to_a_key_with_the_read_scope(async_client, engine_down, auth_headers):
    response = await async_client.get(DETAILS, headers=auth_headers)

    assert response.status_code == 200
    details = response.json()
    assert details["status"] == "degraded"
    assert details["database"]["ok"] is True
    assert details["database"]["vendor"] == connection.vendor
    assert details["broker"]["ok"] is True
    assert details["engine"]["status"] == "down"
    # Not even a key hears where the engine is, or what the failed connection said.
    assert {"url", "error"}.isdisjoint(details["engine"])
    assert "127.0.0.1" not in response.content.decode()


async def test_it_keeps_the_readings_from_anonymous_callers_and_keys_without_the_read_scope(async_client, engine_down):
    _, recommend_only = await sync_to_async(ApiKey.generate)("script", scopes=("recommend",))

    anonymous = await async_client.get(DETAILS)
    unscoped = await async_client.get(DETAILS, headers={"Authorization": f"Bearer {recommend_only}"})

    assert anonymous.status_code == 401
    assert unscoped.status_code == 403
    assert "'read' scope" in unscoped.json()["detail"]


async def test_it_documents_each_level_and_who_may_read_the_details(async_client):
    paths = (await async_client.get("/api/v1/openapi.json")).json()["paths"]

    health, details = paths[HEALTH]["get"], paths[DETAILS]["get"]
    assert {"200", "503"} <= set(health["responses"])
    assert "security" not in health
    assert {"200", "401", "403"} <= set(details["responses"])
    assert details["security"]
