"""Request and response schemas of the recommendations API. Input is validated here, once."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from django.conf import settings
from ninja import Schema
from pydantic import ConfigDict, Field, model_validator

# strict: "1200" (a string) and true (a boolean) are not kWh; ints and floats are.
UsageKwh = Annotated[float, Field(strict=True, ge=0, le=settings.MAX_MONTHLY_KWH, allow_inf_nan=False)]


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class PreferencesIn(StrictSchema):
    max_monthly_budget: Annotated[Decimal, Field(ge=0, le=100_000, max_digits=10, decimal_places=2)] | None = None
    prefer_renewable: bool = False
    min_renewable_pct: Annotated[int, Field(ge=0, le=100)] | None = None
    max_contract_months: Annotated[int, Field(ge=0, le=120)] | None = None


class CurrentPlanIn(StrictSchema):
    """Either a catalog plan (`plan_id`) or the all-in price of the plan the customer has now."""

    plan_id: int | None = None
    rate_cents: Annotated[Decimal, Field(ge=0, le=500, max_digits=8, decimal_places=4)] | None = None
    base_fee: Annotated[Decimal, Field(ge=0, le=1000, max_digits=10, decimal_places=2)] = Decimal(0)

    @model_validator(mode="after")
    def one_kind_of_plan(self) -> "CurrentPlanIn":
        if (self.plan_id is None) == (self.rate_cents is None):
            raise ValueError("give either plan_id or rate_cents (with an optional base_fee), not both or neither")
        return self


class RecommendationIn(StrictSchema):
    monthly_usage_kwh: Annotated[list[UsageKwh], Field(min_length=12, max_length=12)] = Field(
        description="Twelve monthly usage figures in kWh, January to December",
    )
    preferences: PreferencesIn = PreferencesIn()
    current_plan: CurrentPlanIn | None = None
    top_n: Annotated[int, Field(ge=1, le=10)] = 3
    mode: Literal["fast", "accurate"] = "fast"


class RecommendationOut(Schema):
    id: UUID
    data: dict[str, Any]
    metadata: dict[str, Any] = Field(
        description="execution_ms, facts_ms, timestamp, request_id, errors, models, fallbacks, narrative_sources, "
                    "route_version, and "
                    'cache: {"hit": false, "key"} on a miss; {"hit": true, "shared", "key", "age_s"} when served from '
                    "the response cache (shared: from an identical request in flight), with this request's own id, "
                    "request_id, timestamp and execution_ms. narrative_sources: who wrote each why, in rank order, "
                    '[{"plan_id", "source", "reason"}]: the model that served the narrative (reason null), or '
                    '"builtin/rules" for a why that model got wrong (reason: the kind of error; errors has it with '
                    'its plan_id). errors: what failed, in client terms, [{"stage", "model", "kind", "message", '
                    '"plan_id", "retry_after_s"}] (the last two when they apply), one fixed message per kind '
                    '(docs/api.md, "Errors in client terms")',
    )
    performance: dict[str, dict[str, Any]] = Field(
        description="Per stage timings, tokens and cost of the execution that produced the answer (on a cache hit, "
                    "the original one)",
    )


class RecommendationAccepted(Schema):
    id: UUID
    status: str
    status_url: str


class RecommendationStatusOut(Schema):
    id: UUID
    status: str
    mode: str
    progress: dict[str, str]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    errors: list[dict[str, Any]]
    result: RecommendationOut | None = None


class PlanOut(Schema):
    id: int
    provider: str
    name: str
    energy_rate_cents: Decimal | None
    tiers: list[dict[str, Any]] | None
    base_fee: Decimal
    tdu_fixed: Decimal
    tdu_rate_cents: Decimal
    bill_credit: Decimal
    credit_min_kwh: Decimal
    credit_max_kwh: Decimal | None
    renewable_pct: int
    contract_months: int
    early_termination_fee: Decimal


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] = []


HealthLevel = Literal["up", "degraded", "down"]


class HealthOut(Schema):
    status: HealthLevel


class HealthDetailsOut(Schema):
    status: HealthLevel
    database: dict[str, Any]
    broker: dict[str, Any]
    engine: dict[str, Any]
