import pytest

from tests.evaluation.api.slot_requests import put_slot


@pytest.mark.django_db(transaction=True)
async def test_it_answers_404_naming_the_unknown_slot(async_client, operator_headers, rules_only_catalog, spare_rules_model):
    response = await put_slot(async_client, "turbo", {"model": "builtin/rules-spare", "reason": "try"}, operator_headers)

    assert response.status_code == 404
    assert response.json()["title"] == "Unknown slot"
    assert "'turbo'" in response.json()["detail"]
