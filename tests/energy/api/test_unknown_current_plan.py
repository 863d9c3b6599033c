import pytest

from energy.models import LLMCall, Recommendation
from tests.energy.api.payloads import error_fields, post_recommendation, recommendation_body


@pytest.mark.parametrize("wait", [True, False])
@pytest.mark.django_db(transaction=True)
async def test_it_names_the_plan_id_and_writes_nothing(async_client, auth_headers, plans, rules_only_catalog, wait):
    missing_id = max(p.pk for p in plans.values()) + 100

    response = await post_recommendation(async_client, auth_headers,
                                         recommendation_body(current_plan={"plan_id": missing_id}), wait=wait)

    assert response.status_code == 422
    assert error_fields(response.json()) == ["current_plan.plan_id"]
    assert str(missing_id) in response.json()["errors"][0]["message"]
    assert await Recommendation.objects.acount() == 0
    assert await LLMCall.objects.acount() == 0
