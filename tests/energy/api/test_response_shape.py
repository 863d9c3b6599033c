import pytest

from tests.energy.api.payloads import STAGES, assert_recommendation_shape, post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_answers_in_the_documented_shape_with_the_rules_engine_on_every_stage(
    async_client, auth_headers, plans, rules_only_catalog,
):
    response = await post_recommendation(async_client, auth_headers, recommendation_body(top_n=3))

    assert response.status_code == 200
    answer = response.json()
    assert_recommendation_shape(answer)
    assert len(answer["data"]["recommendations"]) == 3
    assert answer["metadata"]["models"] == dict.fromkeys(STAGES, "builtin/rules")
    assert answer["metadata"]["fallbacks"] == []
    assert answer["metadata"]["errors"] == []
    assert answer["metadata"]["narrative_sources"] == [
        {"plan_id": r["plan_id"], "source": "builtin/rules", "reason": None} for r in answer["data"]["recommendations"]
    ]
    assert answer["data"]["usage_summary"]["peak_month"] == "August"
