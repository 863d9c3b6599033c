"""Request and response schemas of the recommendations API. Input is validated here, once."""

import re
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from django.conf import settings
from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

# strict: "1200" (a string) and true (a boolean) are not kWh; ints and floats are.
UsageKwh = Annotated[float, Field(strict=True, ge=0, le=settings.MAX_MONTHLY_KWH, allow_inf_nan=False)]


AMOUNT_STRING_MAX_CHARS = 40


def amount_pattern(integer_digits: int) -> str:
    """The decimal strings an amount may be written as: plain digits, as GET /plans writes them
    ("9.95"), or with a negative exponent, as a stored request writes a tiny amount ("1E-7"). At
    most `integer_digits` before the point, so that the bound is in the pattern too."""
    return rf"^[0-9]{{1,{integer_digits}}}(\.[0-9]+)?(E-[0-9]+)?$"


def amount(integer_digits: int) -> Any:
    """A non-negative amount below 10**integer_digits, as a JSON number (any precision: the bill
    arithmetic is exact, and only bills are rounded) or as a decimal string."""
    below = 10 ** integer_digits
    pattern = amount_pattern(integer_digits)

    def plain_decimal(value: Any) -> Any:
        # Python's search, as JSON Schema's `pattern` reads: what the schema accepts, and nothing else.
        if isinstance(value, str) and (len(value) > AMOUNT_STRING_MAX_CHARS or not re.search(pattern, value)):
            raise ValueError(f"write an amount as a number, or as a decimal string of at most {integer_digits} "
                             f"digits before the point (e.g. \"9.95\")")
        return value

    documented = {"anyOf": [
        {"type": "number", "minimum": 0, "exclusiveMaximum": below},
        {"type": "string", "pattern": pattern, "maxLength": AMOUNT_STRING_MAX_CHARS},
    ]}
    # Not strict: a number becomes the decimal it was written as (pydantic goes through str()).
    return Annotated[Decimal, BeforeValidator(plain_decimal), Field(ge=0, lt=below, strict=False),
                     WithJsonSchema(documented)]


def whole_number(value: Any) -> Any:
    # JSON Schema counts 10.0 as an integer, and so do we; pydantic's strict int would not.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def integer(**bounds: int) -> Any:
    """An integer as JSON has it: 3 or 3.0, never "3" or true. The bounds come before the validator,
    so that pydantic still writes them into the schema (`minimum`, not its own `ge`)."""
    return Annotated[int, Field(**bounds), BeforeValidator(whole_number)]


class StrictSchema(Schema):
    """Input as the schema says, and nothing else: no unknown fields, and no "3" or true for a number
    (pydantic's lax mode would take both, which the schema says are wrong)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class PreferencesIn(StrictSchema):
    max_monthly_budget: amount(integer_digits=5) | None = None
    prefer_renewable: bool = False
    min_renewable_pct: integer(ge=0, le=100) | None = None
    max_contract_months: integer(ge=0, le=120) | None = None


class CurrentPlanIn(StrictSchema):
    """Either a catalog plan (`plan_id`) or the all-in price of the plan the customer has now."""

    # The schema says "one or the other" too (a missing field and null are alike), as one_kind_of_plan checks.
    model_config = ConfigDict(json_schema_extra={"oneOf": [
        {"required": ["plan_id"], "properties": {"plan_id": {"type": "integer"}, "rate_cents": {"type": "null"}}},
        {"required": ["rate_cents"], "properties": {"plan_id": {"type": "null"}, "rate_cents": {"not": {"type": "null"}}}},
    ]})

    plan_id: integer() | None = None
    rate_cents: amount(integer_digits=3) | None = None
    base_fee: amount(integer_digits=3) = Decimal(0)

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
    top_n: integer(ge=1, le=10) = 3
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
