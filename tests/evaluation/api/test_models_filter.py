import pytest

from evaluation.models import AIModel


@pytest.mark.django_db(transaction=True)
async def test_it_filters_the_catalog_by_status_and_provider_kind(async_client, auth_headers, rules_model, spare_rules_model,
                                                                   remote_model):
    await AIModel.objects.filter(pk=spare_rules_model.pk).aupdate(status=AIModel.Status.DISABLED)

    rules = await async_client.get("/api/v1/models?status=enabled&provider_kind=rules", headers=auth_headers)
    disabled = await async_client.get("/api/v1/models?status=disabled", headers=auth_headers)
    bad = await async_client.get("/api/v1/models?status=sleeping", headers=auth_headers)

    assert [m["key"] for m in rules.json()] == ["builtin/rules"]
    assert [m["key"] for m in disabled.json()] == ["builtin/rules-spare"]
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "status"
