"""Request and response schemas of the model-catalog API (models and slots)."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from energy.schemas import StrictSchema
from evaluation.models import AIModel, Provider

# Every slot change is audited with its reason: whitespace alone says nothing.
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


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


class ProbeOut(Schema):
    ok: bool
    latency_ms: float | None
    error: str
    created_at: datetime
    age_s: float


class ChallengerOut(Schema):
    model: str
    share: int = Field(description="Percent of the slot's requests sent to the challenger")
    started_at: datetime | None


class SlotChangeOut(Schema):
    created_at: datetime
    acting_user: str | None = Field(description="Username; null for the shell operator or a deleted user")
    from_model: str | None
    to_model: str
    reason: str
    kind: str
    forced: bool = Field(description="The live probe was overridden")


class SlotOut(Schema):
    name: str
    model: str
    challenger: ChallengerOut | None
    updated_at: datetime
    probe: ProbeOut | None = Field(description="The latest live probe of the slot's model")
    last_change: SlotChangeOut | None


class SwitchIn(StrictSchema):
    model: str = Field(min_length=1, description="Catalog key or alias of the model to serve the slot")
    reason: Reason
    force: bool = Field(default=False, description="Switch even if the live probe fails (other checks still apply)")


class RollbackIn(StrictSchema):
    reason: Reason
    force: bool = Field(default=False, description="Roll back even if the previous model fails its live probe")
