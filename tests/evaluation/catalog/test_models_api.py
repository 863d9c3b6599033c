"""The catalog router: the models list, its filters, whether a secret is set (never the secret), and
the API's documented paths."""

from decimal import Decimal

import pytest

from evaluation.models import AIModel, Provider
from tests.conftest import REMOTE_SECRET_ENV

MODEL_FIELDS = {
    "key", "display_name", "provider", "provider_model", "status", "prompt_style", "quantization", "context_window", "council",
    "price_input_per_mtok", "price_output_per_mtok", "advertised_ttft_ms", "advertised_tokens_per_s", "measured_ttft_ms",
    "measured_tokens_per_s", "measured_p95_ms", "measured_cost_per_recommendation", "measured_at", "quality_score",
    "quality_evidence", "secret_configured",
}


@pytest.mark.django_db(transaction=True)
async def test_it_lists_the_catalog_with_prices_and_measured_figures(async_client, auth_headers, rules_model, remote_model):
    await AIModel.objects.filter(pk=remote_model.pk).aupdate(
        measured_ttft_ms=210.5, measured_tokens_per_s=88.0, measured_p95_ms=940.0,
        measured_cost_per_recommendation=Decimal("0.00012"), quality_score=0.8,
    )

    response = await async_client.get("/api/v1/models", headers=auth_headers)

    assert response.status_code == 200
    listed = {m["key"]: m for m in response.json()}
    assert set(listed) == {"builtin/rules", "remote/chat-mini"}
    assert all(set(m) == MODEL_FIELDS for m in listed.values())
    remote = listed["remote/chat-mini"]
    assert remote["provider"] == {"name": "remote", "kind": "openai_compatible"}
    assert (remote["price_input_per_mtok"], remote["price_output_per_mtok"]) == ("0.1500", "0.6000")
    assert (remote["measured_ttft_ms"], remote["measured_tokens_per_s"], remote["measured_p95_ms"]) == (210.5, 88.0, 940.0)
    assert remote["measured_cost_per_recommendation"] == "0.00012000"
    assert remote["quality_score"] == 0.8
    assert remote["secret_configured"] is True
    assert listed["builtin/rules"]["measured_ttft_ms"] is None


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


@pytest.mark.django_db(transaction=True)
async def test_it_says_whether_the_secret_is_set_but_never_shows_it(async_client, auth_headers, remote_model, monkeypatch):
    monkeypatch.setenv(REMOTE_SECRET_ENV, "sk-live-do-not-leak-4711")
    await Provider.objects.acreate(name="unset", kind=Provider.Kind.OPENAI_COMPATIBLE, base_url="http://unset.local/v1",
                                   secret_env="PROVIDER_KEY_TEST_UNSET")
    monkeypatch.delenv("PROVIDER_KEY_TEST_UNSET", raising=False)

    response = await async_client.get("/api/v1/models", headers=auth_headers)

    assert response.status_code == 200
    assert b"sk-live-do-not-leak-4711" not in response.content
    assert [m["secret_configured"] for m in response.json()] == [True]


# Their own (404, 409) and those of every keyed operation with a body (config/openapi.py).
ERRORS = {"400", "401", "403", "404", "406", "409", "422", "429", "503"}


@pytest.mark.django_db(transaction=True)
async def test_it_documents_the_catalog_paths_and_their_error_responses(async_client):
    response = await async_client.get("/api/v1/openapi.json")

    paths = response.json()["paths"]
    assert {"/api/v1/models", "/api/v1/slots", "/api/v1/slots/{slot}", "/api/v1/slots/{slot}/rollback"} <= set(paths)
    assert set(paths["/api/v1/slots/{slot}"]["put"]["responses"]) == {"200", *ERRORS}
    assert set(paths["/api/v1/slots/{slot}/rollback"]["post"]["responses"]) == {"200", *ERRORS}
    assert {"status", "provider_kind"} <= {p["name"] for p in paths["/api/v1/models"]["get"]["parameters"]}
