import pytest
from django.db import OperationalError
from django.db.models.query import QuerySet

from energy.models import Recommendation
from tests.energy.api.payloads import post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_does_not_return_a_result_it_could_not_record(
    async_client, auth_headers, plans, rules_only_catalog, monkeypatch,
):
    real_aupdate = QuerySet.aupdate

    async def aupdate_failing_on_success(self, **fields):
        if fields.get("status") == Recommendation.Status.SUCCEEDED:
            raise OperationalError("disk I/O error")
        return await real_aupdate(self, **fields)

    monkeypatch.setattr(QuerySet, "aupdate", aupdate_failing_on_success)

    response = await post_recommendation(async_client, auth_headers, recommendation_body())

    assert response.status_code == 503
    problem = response.json()
    assert problem["title"] == "Result not recorded"
    assert [error["kind"] for error in problem["errors"]] == ["not_recorded"]
    assert "data" not in problem
    row = await Recommendation.objects.aget()
    assert row.status == Recommendation.Status.FAILED
    assert row.output is None
    monkeypatch.undo()
    again = await post_recommendation(async_client, auth_headers, recommendation_body())
    assert again.json()["metadata"]["cache"]["hit"] is False  # the unrecorded answer was not cached either
