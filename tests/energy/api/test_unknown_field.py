import pytest

from energy.models import Recommendation
from tests.energy.api.payloads import error_fields, post_recommendation, recommendation_body


@pytest.mark.parametrize(("body", "field"), [
    (recommendation_body(colour="red"), "colour"),
    (recommendation_body(preferences={"cheapest": True}), "preferences.cheapest"),
])
@pytest.mark.django_db(transaction=True)
async def test_it_rejects_a_field_it_does_not_know(async_client, auth_headers, plans, rules_only_catalog, body, field):
    response = await post_recommendation(async_client, auth_headers, body)

    assert response.status_code == 422
    assert error_fields(response.json()) == [field]
    assert await Recommendation.objects.acount() == 0
