"""Writes of the rating workflow: a rubric rating (one per rater per item, edits keep
history), a pairwise choice (one per rater per pair, on a pair served to that rater), and a
model's quality figure written into the catalog. The rating pages and POST /api/v1/ratings call
these; a finished benchmark run refreshes the catalog."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import model_to_dict

from energy.problems import ClientError
from evaluation.models import AIModel, PairwiseComparison, QualityRating, QualityRatingRevision, RatingItem
from evaluation.ratings.model_quality import models_quality

if TYPE_CHECKING:
    from evaluation.ratings.pairs import ServedPair

RATE_PERMISSION = "evaluation.rate_output"
RUBRIC_FIELDS = ("why_sensible", "values_reasonable", "overall", "hallucinated_number", "wrong_plan",
                 "ignored_preference", "comment")


class RatingRefused(ClientError):
    status = 422
    title = "Rating refused"


def check_rater(rater: AbstractBaseUser | None) -> None:
    if rater is None or not rater.has_perm(RATE_PERMISSION):
        raise PermissionDenied(f"{rater} may not rate outputs (needs {RATE_PERMISSION})")


def rate_result(item: RatingItem, *, rater: AbstractBaseUser, why_sensible: int, values_reasonable: int, overall: int,
                hallucinated_number: bool = False, wrong_plan: bool = False, ignored_preference: bool = False,
                comment: str = "") -> QualityRating:
    """Create the rater's rating of the item, or update it, keeping the old values as a revision."""
    check_rater(rater)
    scores = {"why_sensible": why_sensible, "values_reasonable": values_reasonable, "overall": overall}
    for name, value in scores.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise RatingRefused(f"{name} must be a whole number from 1 to 5")
    values = {**scores, "hallucinated_number": bool(hallucinated_number), "wrong_plan": bool(wrong_plan),
              "ignored_preference": bool(ignored_preference), "comment": comment.strip()[:2000]}
    with transaction.atomic():
        transaction.on_commit(lambda: refresh_model_quality(item.asked_key))
        rating = QualityRating.objects.select_for_update().filter(item=item, rater=rater).first()
        if rating is None:
            return QualityRating.objects.create(item=item, rater=rater, **values)
        QualityRatingRevision.objects.create(rating=rating, values=model_to_dict(rating, fields=RUBRIC_FIELDS))
        for name, value in values.items():
            setattr(rating, name, value)
        rating.save()
        return rating


TURNED = {"a": "b", "b": "a", "tie": "tie"}


def compare_pair(pair: "ServedPair", *, rater: AbstractBaseUser, choice: str) -> PairwiseComparison:
    """Record the rater's choice between the pair's left (a) and right (b) output. The pair was
    served to this rater (evaluation.ratings.pairs), so it is two models on one input and nothing
    here needs to say so. Stored in the canonical order, the lower id as item_a: a second vote on
    the pair, either way round, replaces the first."""
    check_rater(rater)
    if choice not in PairwiseComparison.Choice.values:
        raise RatingRefused("choice must be a, b or tie")
    item_a, item_b = pair.left, pair.right
    if item_a.pk > item_b.pk:
        item_a, item_b, choice = item_b, item_a, TURNED[choice]
    comparison, _ = PairwiseComparison.objects.update_or_create(
        item_a=item_a, item_b=item_b, rater=rater, defaults={"choice": choice})
    return comparison


def refresh_model_quality(model_key: str) -> float | None:
    """Write the model's figure and what it stands on to the catalog (AIModel.quality_score and
    quality_evidence), which the switchboard, the catalog API and the admin show."""
    return refresh_models_quality([model_key]).get(model_key)


def refresh_models_quality(model_keys: Iterable[str]) -> dict[str, float | None]:
    figures = models_quality(model_keys)
    for key, quality in figures.items():
        AIModel.objects.filter(key=key).update(quality_score=quality.combined, quality_evidence=quality.evidence)
    return {key: quality.combined for key, quality in figures.items()}


def refresh_catalog_quality() -> dict[str, float | None]:
    """Refresh every model's figure that was asked to serve a rated or benchmarked output."""
    keys = RatingItem.evidence.order_by().values_list("asked_key", flat=True).distinct()  # no ordering: it defeats DISTINCT
    return refresh_models_quality(keys)
