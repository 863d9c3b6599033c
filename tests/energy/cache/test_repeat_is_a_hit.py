import pytest

from energy.models import Recommendation
from tests.energy.api.payloads import assert_recommendation_shape, post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_answers_a_repeat_from_the_cache_and_records_it(
    async_client, auth_headers, plans, rules_only_catalog, pipeline_runs,
):
    body = recommendation_body(mode="fast")

    first = (await post_recommendation(async_client, auth_headers, body)).json()
    second_response = await post_recommendation(async_client, {**auth_headers, "X-Request-ID": "repeat-2"}, body)

    assert second_response.status_code == 200
    second = second_response.json()
    assert_recommendation_shape(second)
    assert len(pipeline_runs) == 1
    assert first["metadata"]["cache"]["hit"] is False
    cache = second["metadata"]["cache"]
    assert cache["hit"] is True
    assert cache["shared"] is False
    assert cache["key"] == first["metadata"]["cache"]["key"]
    assert cache["age_s"] >= 0
    assert second["data"] == first["data"]
    assert second["id"] != first["id"]
    assert second["metadata"]["request_id"] == "repeat-2"
    row = await Recommendation.objects.aget(pk=second["id"])
    assert row.status == Recommendation.Status.SUCCEEDED
    assert row.cache_hit is True
    assert row.output == second
    assert row.request_id == "repeat-2"
    assert row.performance == {}  # no stage ran for this request
    assert (await Recommendation.objects.aget(pk=first["id"])).cache_hit is False
    assert await Recommendation.objects.acount() == 2
