"""Schemas of the slots API: each slot's model, canary, probe and last change; switch and rollback."""

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, Field

from energy.schemas import StrictSchema
from evaluation.models.catalog import REASON_MAX_CHARS


def said_something(reason: str) -> str:
    # str.strip and the schema's pattern (\S, read by Python's re) agree on what whitespace is.
    if not reason.strip():
        raise ValueError("a reason needs more than whitespace")
    return reason.strip()


# Every slot change is audited with its reason: whitespace alone says nothing.
Reason = Annotated[str, Field(min_length=1, max_length=REASON_MAX_CHARS, json_schema_extra={"pattern": r"\S"}),
                   AfterValidator(said_something)]


class ProbeOut(Schema):
    ok: bool
    latency_ms: float | None
    kind: str = Field(description="Why it failed, one of the kinds of docs/api.md \"Errors in client terms\"; "
                                  "empty when it passed")
    error: str = Field(description="The kind's fixed message; empty when it passed")
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


# Benchmarks -------------------------------------------------------------------------------
