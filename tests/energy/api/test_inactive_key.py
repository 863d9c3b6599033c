import pytest

from energy.models import ApiKey, Recommendation
from tests.energy.api.payloads import post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_rejects_a_deactivated_key(async_client, api_key, auth_headers, plans, rules_only_catalog):
    key, _ = api_key
    await ApiKey.objects.filter(pk=key.pk).aupdate(active=False)

    response = await post_recommendation(async_client, auth_headers, recommendation_body())

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert await Recommendation.objects.acount() == 0
