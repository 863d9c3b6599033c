import pytest

from energy.models import Recommendation
from tests.energy.api.payloads import STAGES, post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_records_the_answer_it_gave(async_client, api_key, auth_headers, plans, rules_only_catalog):
    key, _ = api_key
    headers = {**auth_headers, "X-Request-ID": "client-req-42"}

    response = await post_recommendation(async_client, headers, recommendation_body(mode="fast"))

    answer = response.json()
    assert answer["metadata"]["request_id"] == "client-req-42"
    recommendation = await Recommendation.objects.aget(pk=answer["id"])
    assert recommendation.status == Recommendation.Status.SUCCEEDED
    assert recommendation.output == answer
    assert recommendation.models_used == dict.fromkeys(STAGES, "builtin/rules")
    assert recommendation.execution_ms == answer["metadata"]["execution_ms"]
    assert recommendation.execution_ms > 0
    assert recommendation.api_key_id == key.pk
    assert recommendation.request_id == "client-req-42"
    assert recommendation.inputs["monthly_usage_kwh"] == recommendation_body()["monthly_usage_kwh"]
    assert recommendation.finished_at >= recommendation.started_at
