import pytest

from energy.models import Recommendation
from tests.energy.api.payloads import error_fields, post_recommendation, recommendation_body


@pytest.mark.parametrize("current_plan", [
    {"plan_id": 1, "rate_cents": 12.5},
    {"base_fee": 9.95},
])
@pytest.mark.django_db(transaction=True)
async def test_it_wants_either_a_plan_id_or_a_rate(async_client, auth_headers, plans, rules_only_catalog, current_plan):
    response = await post_recommendation(async_client, auth_headers, recommendation_body(current_plan=current_plan))

    assert response.status_code == 422
    assert error_fields(response.json()) == ["current_plan"]
    assert await Recommendation.objects.acount() == 0
