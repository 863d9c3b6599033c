import json

import pytest
from django.conf import settings

from energy.models import LLMCall, Recommendation
from tests.energy.api.payloads import USAGE, error_fields, post_recommendation


def usage_with(index: int, value: object) -> list:
    usage: list = list(USAGE)
    usage[index] = value
    return usage


@pytest.mark.parametrize(("usage", "field"), [
    (USAGE[:11], "monthly_usage_kwh"),
    ([*USAGE, 1000], "monthly_usage_kwh"),
    (usage_with(3, -5), "monthly_usage_kwh[3]"),
    (usage_with(5, "abc"), "monthly_usage_kwh[5]"),
    (usage_with(2, True), "monthly_usage_kwh[2]"),
    (usage_with(7, settings.MAX_MONTHLY_KWH + 1), "monthly_usage_kwh[7]"),
])
@pytest.mark.django_db(transaction=True)
async def test_it_names_the_bad_usage_figure_and_writes_nothing(async_client, auth_headers, plans, rules_only_catalog,
                                                               usage, field):
    response = await post_recommendation(async_client, auth_headers, {"monthly_usage_kwh": usage})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert error_fields(response.json()) == [field]
    assert await Recommendation.objects.acount() == 0
    assert await LLMCall.objects.acount() == 0


@pytest.mark.django_db(transaction=True)
async def test_it_rejects_nan_sent_as_a_bare_json_token(async_client, auth_headers, plans, rules_only_catalog):
    raw = json.dumps({"monthly_usage_kwh": usage_with(0, float("nan"))})
    assert raw.startswith('{"monthly_usage_kwh": [NaN, ')

    response = await post_recommendation(async_client, auth_headers, raw)

    assert response.status_code == 422
    assert error_fields(response.json()) == ["monthly_usage_kwh[0]"]
    assert await Recommendation.objects.acount() == 0


@pytest.mark.django_db(transaction=True)
async def test_it_accepts_the_largest_allowed_figure(async_client, auth_headers, plans, rules_only_catalog):
    response = await post_recommendation(async_client, auth_headers,
                                         {"monthly_usage_kwh": usage_with(7, settings.MAX_MONTHLY_KWH)})

    assert response.status_code == 200
