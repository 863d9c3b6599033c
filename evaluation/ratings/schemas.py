"""Schemas of the ratings API: blind items, rubric ratings, pairwise choices, a model's quality."""

from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from energy.schemas import StrictSchema, integer


class RatingIn(StrictSchema):
    item_id: integer()
    why_sensible: integer(ge=1, le=5)
    values_reasonable: integer(ge=1, le=5)
    overall: integer(ge=1, le=5)
    hallucinated_number: bool = False
    wrong_plan: bool = False
    ignored_preference: bool = False
    comment: str = Field(default="", max_length=2000)


class RatingOut(Schema):
    id: int
    item_id: int
    why_sensible: int
    values_reasonable: int
    overall: int
    hallucinated_number: bool
    wrong_plan: bool
    ignored_preference: bool
    comment: str
    revisions: int


class PairwiseIn(StrictSchema):
    item_a: integer()
    item_b: integer()
    choice: Literal["a", "b", "tie"]


class PairwiseOut(Schema):
    id: int
    item_a: int
    item_b: int
    choice: str


class BlindItemOut(Schema):
    """What a rater may see: the request and the recommendation, never the model."""

    id: int
    inputs: dict[str, Any]
    recommendation: dict[str, Any]


class ModelQualityOut(Schema):
    model: str
    quality: float | None
    human: float | None
    human_n: int
    automatic: float | None
    automatic_n: int
    flags: dict[str, int]
    min_human_ratings: int
    inter_rater_alpha: float | None
    inter_rater_items: int
    automatic_vs_human_spearman: float | None
    automatic_vs_human_items: int
