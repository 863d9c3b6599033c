"""Queue a recommendation through the API with the task queue replaced by a list."""

from typing import Any

from django.test import AsyncClient

from tests.energy.api.payloads import post_recommendation, recommendation_body


async def queue_recommendation(client: AsyncClient, headers: dict[str, str], monkeypatch: Any) -> tuple[str, list]:
    """The new recommendation's id, and the (function name, *args) of each task queued."""
    queued_tasks: list = []
    monkeypatch.setattr("energy.actions.async_task", lambda *args, **kwargs: queued_tasks.append(args))
    response = await post_recommendation(client, headers, recommendation_body(), wait=False)
    assert response.status_code == 202
    return response.json()["id"], queued_tasks
