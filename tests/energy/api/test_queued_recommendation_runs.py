import pytest
from asgiref.sync import sync_to_async
from django.utils.module_loading import import_string

from tests.energy.api.payloads import STAGES, assert_recommendation_shape
from tests.energy.api.queue import queue_recommendation


@pytest.mark.django_db(transaction=True)
async def test_it_runs_the_queued_task_and_shows_progress_and_result(
    async_client, auth_headers, plans, rules_only_catalog, monkeypatch,
):
    recommendation_id, [(task_name, *task_args)] = await queue_recommendation(async_client, auth_headers, monkeypatch)
    before = (await async_client.get(f"/api/v1/recommendations/{recommendation_id}", headers=auth_headers)).json()
    assert (before["status"], before["result"], before["progress"]) == ("queued", None, {})

    await sync_to_async(import_string(task_name))(*task_args)

    response = await async_client.get(f"/api/v1/recommendations/{recommendation_id}", headers=auth_headers)
    assert response.status_code == 200
    status = response.json()
    assert status["status"] == "succeeded"
    assert status["progress"] == dict.fromkeys(STAGES, "done")
    assert status["errors"] == []
    assert status["started_at"] is not None
    assert status["finished_at"] is not None
    assert_recommendation_shape(status["result"])
    assert status["result"]["id"] == recommendation_id
    assert status["result"]["metadata"]["models"] == dict.fromkeys(STAGES, "builtin/rules")
