"""What a rater may see of an item: the request and the recommendation, copied field by field
from the allow-lists below. The pages get these objects and the API these dicts, never the
RatingItem, so nothing that names or hints at the model (its key, metadata, the item's source,
the request's mode, which picks a slot, the sequential primary key) can reach a rater by accident."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from energy.pipeline.inputs import MONTHS
from evaluation.models import RatingItem

# Per-model figures that move when one rating or vote is added (human means and counts, flags,
# pairwise strengths, and the combined quality built on them) would tell a rater who rated an item
# and read them again which model wrote it. They go only to those who can see the catalog's models,
# which the seeded Product staff (the raters) cannot, and to keys acting for no user (a customer's
# script, which cannot rate).
VIEW_MODELS_PERMISSION = "evaluation.view_aimodel"


def sees_model_figures(user: AbstractBaseUser | None) -> bool:
    return user is None or user.has_perm(VIEW_MODELS_PERMISSION)


USAGE_FIGURES = (
    ("summary", "Summary"),
    ("average_monthly_kwh", "Average (kWh a month)"),
    ("total_kwh", "Total (kWh a year)"),
    ("peak_month", "Peak month"),
    ("peak_kwh", "Peak (kWh)"),
    ("lowest_month", "Lowest month"),
    ("lowest_kwh", "Lowest (kWh)"),
    ("seasonal_pattern", "Seasonal pattern"),
    ("trend", "Trend"),
)
PREFERENCES = (
    ("max_monthly_budget", "Monthly budget ($)"),
    ("prefer_renewable", "Prefers renewable"),
    ("min_renewable_pct", "Minimum renewable (%)"),
    ("max_contract_months", "Longest contract (months)"),
)
CURRENT_PLAN = (
    ("plan_id", "Catalog plan"),
    ("rate_cents", "Rate (¢/kWh)"),
    ("base_fee", "Base fee ($ a month)"),
)
PLAN_FIELDS = ("rank", "plan_name", "provider", "projected_annual_cost", "projected_monthly_costs", "annual_savings",
               "renewable_pct", "contract_months", "score", "constraints_met", "why")


def mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def sequence(value: object) -> list:
    return value if isinstance(value, list) else []


def allowed(values: object, names: tuple[str, ...]) -> dict:
    values = mapping(values)
    return {name: values[name] for name in names if name in values}


def request_fields(inputs: object) -> dict:
    """The request as a rater needs it to judge the answer: usage, preferences, current plan and
    how many plans were asked for. Never `mode` (it names a slot) nor anything else."""
    inputs = mapping(inputs)
    request = {"monthly_usage_kwh": sequence(inputs.get("monthly_usage_kwh")),
               "preferences": allowed(inputs.get("preferences"), tuple(name for name, _ in PREFERENCES)),
               "current_plan": allowed(inputs.get("current_plan"), tuple(name for name, _ in CURRENT_PLAN))}
    return {**request, "top_n": inputs["top_n"]} if "top_n" in inputs else request


def output_fields(payload: object) -> dict:
    """The recommendation as the output gave it (its plans in its order), without metadata."""
    payload = mapping(payload)
    output = {"usage_summary": allowed(payload.get("usage_summary"), tuple(name for name, _ in USAGE_FIGURES)),
              "recommendations": [allowed(plan, PLAN_FIELDS) for plan in sequence(payload.get("recommendations"))
                                  if isinstance(plan, dict)]}
    return {**output, "notice": str(payload["notice"])} if payload.get("notice") else output


@dataclass(frozen=True)
class RequestShown:
    monthly_usage: list[tuple[str, str]]  # (month, kWh)
    preferences: list[tuple[str, str]]  # (label, value), only those the client set
    current_plan: list[tuple[str, str]]
    top_n: Any


@dataclass(frozen=True)
class PlanShown:
    rank: Any
    plan_name: str
    provider: str  # the energy retailer, part of the answer
    projected_annual_cost: Any
    projected_monthly_costs: list[Any]
    annual_savings: Any
    renewable_pct: Any
    contract_months: Any
    score: Any
    constraints_met: Any
    why: str

    @property
    def monthly_range(self) -> tuple[float, float] | None:
        costs = [c for c in self.projected_monthly_costs if isinstance(c, int | float) and not isinstance(c, bool)]
        return (min(costs), max(costs)) if costs else None


@dataclass(frozen=True)
class OutputShown:
    usage_summary: list[tuple[str, str]]
    recommendations: list[PlanShown]
    notice: str


def display(value: object) -> str:
    """A value as the output gave it, readable: yes/no for booleans, thousands separated."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int | float):
        return f"{value:,}"
    return str(value)


def labelled(values: dict, fields: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return [(label, display(values[name])) for name, label in fields if values.get(name) not in (None, "")]


def show_request(inputs: object) -> RequestShown:
    request = request_fields(inputs)
    return RequestShown(
        monthly_usage=[(month, display(kwh)) for month, kwh in zip(MONTHS, request["monthly_usage_kwh"], strict=False)],
        preferences=labelled(request["preferences"], PREFERENCES),
        current_plan=labelled(request["current_plan"], CURRENT_PLAN),
        top_n=request.get("top_n"),
    )


def show_plan(recommendation: dict) -> PlanShown:
    return PlanShown(
        rank=recommendation.get("rank"),
        plan_name=str(recommendation.get("plan_name", "")),
        provider=str(recommendation.get("provider", "")),
        projected_annual_cost=recommendation.get("projected_annual_cost"),
        projected_monthly_costs=sequence(recommendation.get("projected_monthly_costs")),
        annual_savings=recommendation.get("annual_savings"),
        renewable_pct=recommendation.get("renewable_pct"),
        contract_months=recommendation.get("contract_months"),
        score=recommendation.get("score"),
        constraints_met=recommendation.get("constraints_met"),
        why=str(recommendation.get("why", "")),
    )


def show_output(payload: object) -> OutputShown:
    """The recommendations in the order of the output: the order is part of what is rated."""
    output = output_fields(payload)
    return OutputShown(
        usage_summary=labelled(output["usage_summary"], USAGE_FIGURES),
        recommendations=[show_plan(plan) for plan in output["recommendations"]],
        notice=output.get("notice", ""),
    )


@dataclass(frozen=True)
class BlindItem:
    item_id: str  # the public id
    request: RequestShown
    output: OutputShown


def blind(item: RatingItem) -> BlindItem:
    return BlindItem(item_id=item.public_id, request=show_request(item.inputs), output=show_output(item.payload))


def blind_fields(item: RatingItem) -> dict[str, Any]:
    """The API's form of the same: `{id, inputs, recommendation}`."""
    return {"id": item.public_id, "inputs": request_fields(item.inputs), "recommendation": output_fields(item.payload)}


@dataclass(frozen=True)
class OtherRating:
    """Another rater's judgement, shown once the rater has given their own; numbered, never named."""

    label: str
    why_sensible: int
    values_reasonable: int
    overall: int
    flags: list[str]
    comment: str


FLAG_LABELS = (("hallucinated_number", "hallucinated number"), ("wrong_plan", "wrong plan"),
               ("ignored_preference", "ignored preference"))


def other_ratings(item: RatingItem, rater: AbstractBaseUser) -> list[OtherRating]:
    others = item.ratings.exclude(rater=rater).order_by("created_at", "id")
    return [
        OtherRating(label=f"rater {number}", why_sensible=rating.why_sensible, values_reasonable=rating.values_reasonable,
                    overall=rating.overall, flags=[label for name, label in FLAG_LABELS if getattr(rating, name)],
                    comment=rating.comment)
        for number, rating in enumerate(others, start=1)
    ]
