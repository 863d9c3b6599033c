"""No internals in answers: a failure is told in client terms (the stage, the model, a kind and its
fixed message) in the 503 problem, the streamed problem, an answer's errors and a recommendation read
back; the exception's text, with its addresses and paths, stays in the row the operators read."""

import json

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from energy import actions
from energy.client_errors import MESSAGES
from energy.models import Recommendation
from evaluation.catalog.probes import probe_model
from evaluation.models import ModelProbe, RoutingPolicy
from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.payloads import RECOMMENDATIONS, post_recommendation, recommendation_body
from tests.energy.api.streams import EVENT_STREAM, kinds, read_events, stream_recommendation

pytestmark = pytest.mark.django_db(transaction=True)

# What a failing connection says, as the internal network names things.
ADDRESS, PATH = "10.20.30.40:8443", "/var/run/engine.sock"
INTERNAL_TEXT = f"connecting to {ADDRESS} through {PATH}: connection refused"
CONNECTION_FAILED = {"stage": "usage_summary", "model": "remote/chat-mini", "kind": "connection_error",
                     "message": "the model could not be reached"}


@pytest.fixture
def unreachable_remote(remote_catalog, httpx_mock, settings):
    settings.LLM_MAX_ATTEMPTS = 1
    httpx_mock.add_exception(httpx.ConnectError(INTERNAL_TEXT), url=REMOTE_CHAT_URL, method="POST", is_reusable=True)


@pytest.fixture
def remote_only(unreachable_remote) -> RoutingPolicy:
    """No fallback slot, no rules engine: the request fails."""
    return RoutingPolicy.objects.create(pk=1, fallback_slots={"fast": []}, degrade_to_rules=False)


def assert_the_request_failed_on_connection(errors: list[dict]) -> None:
    """A failed request names the first stage that failed: the usage summary and plan scoring run
    side by side, so either can fail first, and the other is cancelled."""
    assert errors[0]["stage"] in {"usage_summary", "plan_scoring"}
    assert errors[0] == {**CONNECTION_FAILED, "stage": errors[0]["stage"]}


def assert_no_internals(text: str) -> None:
    assert ADDRESS not in text
    assert PATH not in text
    assert "ConnectError" not in text


async def test_it_tells_the_503_problem_in_client_terms_and_keeps_the_detail_for_operators(
    async_client, auth_headers, plans, remote_only,
):
    response = await post_recommendation(async_client, auth_headers, recommendation_body(mode="fast"))

    assert response.status_code == 503
    assert_no_internals(response.content.decode())
    assert_the_request_failed_on_connection(response.json()["errors"])
    row = await Recommendation.objects.aget()
    assert ADDRESS in row.errors[0]["message"]
    assert PATH in row.errors[0]["message"]


async def test_it_tells_the_streamed_problem_in_client_terms(async_client, auth_headers, plans, remote_only):
    events = await stream_recommendation(async_client, auth_headers, recommendation_body(mode="fast"))

    assert kinds(events)[-1] == "problem"
    assert_no_internals(json.dumps(events))
    assert_the_request_failed_on_connection(events[-1][1]["errors"])


async def test_it_tells_a_failed_recommendation_read_back_in_client_terms(async_client, auth_headers, plans,
                                                                          remote_only):
    failed = (await post_recommendation(async_client, auth_headers, recommendation_body(mode="fast"))).json()
    recommendation_id = failed["detail"].split()[1]

    status = await async_client.get(f"{RECOMMENDATIONS}/{recommendation_id}", headers=auth_headers)
    events = await read_events(await async_client.get(f"{RECOMMENDATIONS}/{recommendation_id}/events",
                                                      headers={**auth_headers, **EVENT_STREAM}))

    assert status.json()["status"] == "failed"
    assert_the_request_failed_on_connection(status.json()["errors"])
    assert_no_internals(status.content.decode())
    assert kinds(events)[-1] == "problem"
    assert_no_internals(json.dumps(events))


async def test_it_tells_a_model_that_failed_before_the_rules_engine_served_in_client_terms(
    async_client, auth_headers, plans, unreachable_remote,
):
    response = await post_recommendation(async_client, auth_headers, recommendation_body(mode="fast"))

    assert response.status_code == 200
    answer = response.json()
    assert set(answer["metadata"]["models"].values()) == {"builtin/rules"}
    assert answer["metadata"]["errors"][0] == CONNECTION_FAILED
    assert_no_internals(response.content.decode())
    row = await Recommendation.objects.aget()
    assert ADDRESS in row.errors[0]["message"]
    assert_no_internals(json.dumps(row.output))  # the stored answer is what a client reads back


async def test_it_tells_an_unexpected_failure_only_as_an_internal_error(async_client, api_key, auth_headers):
    key, _ = api_key
    database_error = {"kind": "OperationalError", "message": f'connection to server at "{ADDRESS}" failed'}
    row = await Recommendation.objects.acreate(api_key=key, mode="fast", inputs={}, status=Recommendation.Status.FAILED,
                                               errors=[database_error])

    status = await async_client.get(f"{RECOMMENDATIONS}/{row.pk}", headers=auth_headers)

    assert status.json()["errors"] == [{"kind": "internal_error", "message": MESSAGES["internal_error"]}]
    assert "OperationalError" not in status.content.decode()
    assert_no_internals(status.content.decode())


async def test_it_tells_an_answer_stored_with_its_errors_detail_in_client_terms(async_client, api_key, auth_headers):
    """Answers stored before errors were told in client terms carry the detail in their metadata."""
    key, _ = api_key
    detailed = {**CONNECTION_FAILED, "message": f"ConnectError: {INTERNAL_TEXT}"}
    row = await Recommendation.objects.acreate(api_key=key, mode="fast", inputs={},
                                               status=Recommendation.Status.SUCCEEDED, errors=[detailed])
    row.output = {"id": str(row.pk), "data": {}, "metadata": {"errors": [detailed], "models": {}}, "performance": {}}
    await row.asave(update_fields=["output"])

    status = await async_client.get(f"{RECOMMENDATIONS}/{row.pk}", headers=auth_headers)

    assert status.json()["result"]["metadata"]["errors"] == [CONNECTION_FAILED]
    assert status.json()["errors"] == [CONNECTION_FAILED]
    assert_no_internals(status.content.decode())


async def test_it_tells_a_queued_request_whose_plan_is_gone_in_client_terms(async_client, auth_headers, plans,
                                                                            rules_only_catalog, monkeypatch):
    monkeypatch.setattr("energy.actions.async_task", lambda *args, **kwargs: None)  # the test is the worker
    body = recommendation_body(current_plan={"plan_id": plans["cheap"].pk})
    queued = (await post_recommendation(async_client, auth_headers, body, wait=False)).json()
    await plans["cheap"].adelete()

    await sync_to_async(actions.run_queued_recommendation)(queued["id"])

    status = (await async_client.get(f"{RECOMMENDATIONS}/{queued['id']}", headers=auth_headers)).json()
    assert status["status"] == "failed"
    assert status["errors"] == [{"kind": "plan_not_found", "message": "a plan the request names no longer exists"}]


async def test_it_tells_a_failed_probe_in_client_terms_and_keeps_the_detail_for_the_switchboard(
    async_client, auth_headers, remote_model, unreachable_remote,
):
    await sync_to_async(probe_model)(remote_model, slot_name="fast")

    response = await async_client.get("/api/v1/slots", headers=auth_headers)

    [fast] = [slot for slot in response.json() if slot["name"] == "fast"]
    assert (fast["probe"]["ok"], fast["probe"]["kind"]) == (False, "connection_error")
    assert fast["probe"]["error"] == MESSAGES["connection_error"]
    assert_no_internals(response.content.decode())
    probe = await ModelProbe.objects.aget()
    assert ADDRESS in probe.error


def test_a_database_that_does_not_answer_is_a_503_that_names_no_file_or_host(client, auth_headers, tmp_path):
    """A real database that cannot be reached (SQLite's file, or PostgreSQL's database, is not there),
    met by a keyed request: the service's outage, to retry later, told without the error's text."""
    # SQLite's file in a folder that is not there; on PostgreSQL a database that is not there (a short
    # name: PostgreSQL's are 63 characters at most).
    missing = "missing_energy" if connection.vendor == "postgresql" else str(tmp_path / "missing" / "database")
    name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = missing
    try:
        response = client.get("/api/v1/plans", headers=auth_headers)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
    assert response.json()["title"] == "Service unavailable"
    assert "missing" not in response.content.decode()
