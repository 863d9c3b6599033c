"""The leaderboard page's figures: the pairwise ranking, each model's quality figure, and how
far raters agree with each other and with the automatic checks. Unlike the rating pages this
one names the models.

Per-model figures (strengths, wins, comparisons, quality, human means and counts, flag counts),
and even the models' order, move when one rating or vote is added: a rater who voted and read them
again would see which model they had picked (a first vote orders two models). So the standings go
only to those who can see the catalog's models (`blind.sees_model_figures`); a rater reads the
agreement figures, which are not per model. The judges' agreement with the raters is per judge
model and moves with each rating, so it too goes only to those who see the models."""

from dataclasses import dataclass

from django.conf import settings

from evaluation.models import AIModel, RatingItem
from evaluation.ratings.bradley_terry import Ranked
from evaluation.ratings.judge_agreement import TRUSTED_ALPHA, TRUSTED_MIN_N, JudgeAgreement, judge_agreements
from evaluation.ratings.leaderboard import leaderboard
from evaluation.ratings.model_quality import automatic_vs_human, inter_rater_alpha, models_quality

RUBRIC_SCALES = (
    ("overall", "Overall"),
    ("why_sensible", "The why is sensible"),
    ("values_reasonable", "The values are reasonable"),
)


@dataclass(frozen=True)
class Agreement:
    label: str
    value: float | None
    n: int


@dataclass(frozen=True)
class Place:
    model: str
    name: str  # the model's display name
    ranked: Ranked | None  # the pairwise figures, or None for those who may not see them
    figure: dict | None  # the quality figures, likewise


@dataclass(frozen=True)
class Standings:
    ranking: list[Place]  # strongest first
    quality: list[Place]  # best first
    per_model_figures: bool
    inter_rater: list[Agreement]  # Krippendorff's alpha per rubric scale, n = items rated twice or more
    automatic_vs_human: Agreement  # Spearman, n = items with both
    min_human_ratings: int
    # Each judge's agreement with the raters and the automatic checks: per model, so only for
    # those who see per-model figures (a rater's rating moves it).
    judges: list[JudgeAgreement]
    trusted_alpha: float = TRUSTED_ALPHA
    trusted_min_n: int = TRUSTED_MIN_N


def standings(*, per_model_figures: bool) -> Standings:
    ranking, quality = per_model_standings() if per_model_figures else ([], [])
    rho, rho_n = automatic_vs_human()
    return Standings(
        ranking=ranking,
        quality=quality,
        per_model_figures=per_model_figures,
        inter_rater=[Agreement(label, *inter_rater_alpha(field)) for field, label in RUBRIC_SCALES],
        automatic_vs_human=Agreement("Automatic checks vs human overall", rho, rho_n),
        min_human_ratings=settings.RATING_MIN_HUMAN,
        judges=judge_agreements() if per_model_figures else [],
    )


def per_model_standings() -> tuple[list[Place], list[Place]]:
    ranking = leaderboard()
    rated = RatingItem.evidence.order_by().values_list("asked_key", flat=True).distinct()
    keys = {ranked.model for ranked in ranking} | set(rated)
    names = dict(AIModel.objects.filter(key__in=keys).values_list("key", "display_name"))
    figures = [quality.as_dict() for quality in models_quality(keys).values()]
    figures.sort(key=lambda figure: (figure["quality"] is None, -(figure["quality"] or 0), figure["model"]))
    return ([Place(ranked.model, names.get(ranked.model, ""), ranked, None) for ranked in ranking],
            [Place(figure["model"], names.get(figure["model"], ""), None, figure) for figure in figures])
