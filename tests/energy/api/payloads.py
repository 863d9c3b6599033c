"""The requests the API tests send, and the shape every recommendation answer must have."""

import json
from typing import Any

from django.http import HttpResponse
from django.test import AsyncClient

RECOMMENDATIONS = "/api/v1/recommendations"
# Summer-peaking and rising, 850 to 1,900 kWh a month: some months inside Coastal Credit 6's
# 1,000–2,000 kWh credit window and some outside, some on each side of Two-Step 12's tier bound.
USAGE = [1100, 1000, 900, 850, 1000, 1400, 1800, 1900, 1500, 1000, 950, 1150]

STAGES = {"usage_summary", "plan_scoring", "narrative"}
RECOMMENDATION_FIELDS = {"rank", "plan_id", "plan_name", "provider", "projected_annual_cost", "projected_monthly_costs",
                         "annual_savings", "renewable_pct", "score", "why"}
METADATA_FIELDS = {"execution_ms", "timestamp", "request_id", "errors", "models", "fallbacks", "narrative_sources", "cache"}
TIMING_FIELDS = {"prompt_build_ms", "inference_ms", "parse_ms", "total_ms", "ttft_ms", "input_tokens", "output_tokens",
                 "cost_usd"}


def recommendation_body(**fields: Any) -> dict[str, Any]:
    return {"monthly_usage_kwh": USAGE, **fields}


async def post_recommendation(client: AsyncClient, headers: dict[str, str], body: dict[str, Any] | str, *,
                              wait: bool = True) -> HttpResponse:
    """POST a body (a dict, or raw text sent as it is) as JSON."""
    data = body if isinstance(body, str) else json.dumps(body)
    path = RECOMMENDATIONS if wait else f"{RECOMMENDATIONS}?wait=false"
    return await client.post(path, data=data, content_type="application/json", headers=headers)


def assert_recommendation_shape(answer: dict[str, Any]) -> None:
    """The response shape of DESIGN.md, "Response shape"."""
    assert set(answer) == {"id", "data", "metadata", "performance"}
    assert {"usage_summary", "recommendations"} <= set(answer["data"])
    assert answer["data"]["recommendations"], "no plan recommended"
    for rank, recommendation in enumerate(answer["data"]["recommendations"], start=1):
        assert set(recommendation) >= RECOMMENDATION_FIELDS
        assert recommendation["rank"] == rank
        assert len(recommendation["projected_monthly_costs"]) == 12
        assert isinstance(recommendation["why"], str)
        assert recommendation["why"]
    assert set(answer["metadata"]) >= METADATA_FIELDS
    assert set(answer["metadata"]["models"]) == STAGES
    plan_ids = [recommendation["plan_id"] for recommendation in answer["data"]["recommendations"]]
    assert [source["plan_id"] for source in answer["metadata"]["narrative_sources"]] == plan_ids
    assert set(answer["performance"]) == STAGES
    for timings in answer["performance"].values():
        assert set(timings) >= TIMING_FIELDS


def error_fields(problem: dict[str, Any]) -> list[str]:
    return [error["field"] for error in problem["errors"]]
