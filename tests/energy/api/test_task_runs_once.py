import pytest
from asgiref.sync import sync_to_async

from energy import actions
from energy.models import Recommendation
from energy.tasks import run_recommendation
from tests.energy.api.queue import queue_recommendation


@pytest.mark.django_db(transaction=True)
async def test_it_runs_a_recommendation_once_however_often_the_task_is_delivered(
    async_client, auth_headers, plans, rules_only_catalog, monkeypatch,
):
    recommendation_id, _ = await queue_recommendation(async_client, auth_headers, monkeypatch)
    runs = []
    real_run_pipeline = actions.run_pipeline

    async def counted_run_pipeline(*args, **kwargs):
        runs.append(args)
        return await real_run_pipeline(*args, **kwargs)

    monkeypatch.setattr("energy.actions.run_pipeline", counted_run_pipeline)

    await sync_to_async(run_recommendation)(recommendation_id)
    first = await Recommendation.objects.aget(pk=recommendation_id)
    await sync_to_async(run_recommendation)(recommendation_id)
    second = await Recommendation.objects.aget(pk=recommendation_id)

    assert len(runs) == 1
    assert second.status == Recommendation.Status.SUCCEEDED
    assert (second.started_at, second.finished_at, second.output) == (first.started_at, first.finished_at, first.output)
