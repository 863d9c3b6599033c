from decimal import Decimal

import pytest

from evaluation.models import AIModel

MODEL_FIELDS = {
    "key", "display_name", "provider", "provider_model", "status", "prompt_style", "quantization", "context_window",
    "price_input_per_mtok", "price_output_per_mtok", "advertised_ttft_ms", "advertised_tokens_per_s", "measured_ttft_ms",
    "measured_tokens_per_s", "measured_p95_ms", "measured_cost_per_recommendation", "measured_at", "quality_score",
    "secret_configured",
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
