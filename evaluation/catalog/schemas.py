"""Schemas of the catalog API: the models and their providers."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from evaluation.models import AIModel, Provider


class ModelFilterIn(Schema):
    status: Literal[*AIModel.Status.values] | None = None
    provider_kind: Literal[*Provider.Kind.values] | None = None


class ProviderOut(Schema):
    name: str
    kind: str


class ModelOut(Schema):
    key: str
    display_name: str
    provider: ProviderOut
    provider_model: str
    status: str
    prompt_style: str
    quantization: str
    context_window: int | None
    price_input_per_mtok: Decimal = Field(description="USD per million input tokens")
    price_output_per_mtok: Decimal = Field(description="USD per million output tokens")
    advertised_ttft_ms: float | None
    advertised_tokens_per_s: float | None
    measured_ttft_ms: float | None
    measured_tokens_per_s: float | None
    measured_p95_ms: float | None
    measured_cost_per_recommendation: Decimal | None
    measured_at: datetime | None
    quality_score: float | None
    secret_configured: bool = Field(description="Whether the provider's secret is in the environment (never the secret)")

    @staticmethod
    def resolve_secret_configured(model: AIModel) -> bool:
        return model.provider.secret_configured
