"""Schemas of the catalog API: the models and their providers."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from evaluation.catalog.councils import state
from evaluation.models import AIModel, Provider


class ModelFilterIn(Schema):
    status: Literal[*AIModel.Status.values] | None = None
    provider_kind: Literal[*Provider.Kind.values] | None = None


class ProviderOut(Schema):
    name: str
    kind: str


class QualityEvidenceOut(Schema):
    source: Literal["human", "automatic", "combined"] | None = Field(
        description="human: human ratings alone; automatic: the automatic checks alone (fewer human ratings than "
                    "the minimum); combined: their average; null: no evidence yet")
    human_n: int = Field(description="Human ratings of outputs the model was asked to serve")
    automatic_n: int = Field(description="Benchmark units and live samples the model was asked to serve, failures included")


class CouncilOut(Schema):
    members: list[str] = Field(description="The keys of the models that answer and rank each other's answers")
    chairman: str = Field(description="The key of the model that synthesizes the answer (the rules engine serves the "
                                      "best-ranked answer instead)")
    min_answers: int = Field(description="Fewer valid answers than this and the stage falls back along its chain")
    ranking_share: float = Field(description="Synthesis starts once this share of the peer rankings has arrived")
    answers_timeout_s: float
    ranking_timeout_s: float
    synthesis_timeout_s: float


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
    quality_score: float | None = Field(description="0–1: the model's quality over every output it was asked to serve "
                                                     "(GET /models/{key}/quality has the parts)")
    quality_evidence: QualityEvidenceOut | None = Field(description="What quality_score comes from, with n")
    secret_configured: bool = Field(description="Whether the provider's secret is in the environment (never the secret)")
    council: CouncilOut | None = Field(description="For a council (provider kind `council`): what it is made of; "
                                                   "null for a model")

    @staticmethod
    def resolve_council(model: AIModel) -> dict | None:
        council = getattr(model, "council", None)
        return None if council is None else state(council)

    @staticmethod
    def resolve_quality_evidence(model: AIModel) -> dict | None:
        return model.quality_evidence or None  # {} until a benchmark or a rating first refreshes it

    @staticmethod
    def resolve_secret_configured(model: AIModel) -> bool:
        return model.provider.secret_configured
