"""Schemas of the ratings API: blind items, rubric ratings, pairwise choices, a model's quality."""

from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from energy.schemas import StrictSchema, integer


class RatingIn(StrictSchema):
    item_id: str = Field(max_length=32, description="The item's public id, as GET /ratings/next gave it")
    why_sensible: integer(ge=1, le=5)
    values_reasonable: integer(ge=1, le=5)
    overall: integer(ge=1, le=5)
    hallucinated_number: bool = False
    wrong_plan: bool = False
    ignored_preference: bool = False
    comment: str = Field(default="", max_length=2000)


class RatingOut(Schema):
    id: int
    item_id: str
    why_sensible: int
    values_reasonable: int
    overall: int
    hallucinated_number: bool
    wrong_plan: bool
    ignored_preference: bool
    comment: str
    revisions: int


class PairwiseIn(StrictSchema):
    pair: str = Field(max_length=1000, description="The token GET /ratings/pairwise/next served the pair with")
    choice: Literal["a", "b", "tie"] = Field(description="a: the pair's a is better; b: its b; tie")


class PairwiseOut(Schema):
    pair: str
    choice: str


class BlindItemOut(Schema):
    """What a rater may see: the allow-listed request fields and the recommendation, never the model."""

    id: str = Field(description="The item's public id (random)")
    inputs: dict[str, Any] = Field(description="monthly_usage_kwh, preferences, current_plan and top_n; never mode")
    recommendation: dict[str, Any] = Field(description="usage_summary, recommendations (in the output's order), notice")


class BlindPairOut(Schema):
    """Two outputs of different models for one input, and the token a vote on them names."""

    pair: str
    a: BlindItemOut
    b: BlindItemOut


class ModelQualityOut(Schema):
    model: str
    quality: float | None = Field(description="0–1, the figure the catalog, switchboard, matrix and leaderboard show; "
                                              "null unless the key's user can see the catalog's models")
    source: Literal["human", "automatic", "combined"] | None = Field(
        description="What `quality` comes from (human ratings, automatic checks, or their average); null when there "
                    "is no evidence yet, or unless the key's user can see the catalog's models")
    human: float | None = Field(description="null unless the key's user can see the catalog's models")
    human_n: int | None = Field(description="null unless the key's user can see the catalog's models")
    automatic: float | None
    automatic_n: int
    flags: dict[str, int] | None = Field(description="null unless the key's user can see the catalog's models")
    min_human_ratings: int
    inter_rater_alpha: float | None
    inter_rater_items: int
    automatic_vs_human_spearman: float | None
    automatic_vs_human_items: int
