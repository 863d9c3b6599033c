import asyncio

import pytest

from energy import actions
from energy.models import Recommendation
from energy.schemas import RecommendationIn
from tests.energy.api.payloads import recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_records_a_request_cancelled_mid_pipeline_as_failed(plans, rules_only_catalog, monkeypatch):
    pipeline_started = asyncio.Event()

    async def hanging_run_pipeline(*args, **kwargs):
        pipeline_started.set()
        await asyncio.Event().wait()

    monkeypatch.setattr("energy.actions.run_pipeline", hanging_run_pipeline)
    payload = RecommendationIn.model_validate(recommendation_body())
    request = asyncio.create_task(actions.recommend(payload, api_key_id=None, request_id="goes-away"))
    await pipeline_started.wait()

    request.cancel()  # what Django does to the view when the client disconnects
    with pytest.raises(asyncio.CancelledError):
        await request

    row = await Recommendation.objects.aget(request_id="goes-away")
    assert row.status == Recommendation.Status.FAILED
    assert [error["kind"] for error in row.errors] == ["cancelled"]
    assert row.finished_at is not None
