"""A model's quality figure: human ratings and automatic checks together, 0–1. The one figure the
catalog, the switchboard, the decision matrix, the leaderboard and the API all show.

A model's items are those it was asked to serve (`RatingItem.asked_key`), whoever served in the
end: a stage it failed and the rules engine answered counts against it, never for the rules
engine. Human: the mean `overall` rating of its items, mapped from 1–5 to 0–1. Automatic: the
mean automatic quality of every benchmark unit and live sample it was asked to serve, a failure
without output counting 0. With at least RATING_MIN_HUMAN human ratings the figure is their
average (`combined`); with fewer, the automatic checks alone (a handful of opinions should not
swing a catalog figure). Each figure says which it is, with its n (`evidence`)."""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Avg, Count, Q

from evaluation.models import QualityRating, RatingItem
from evaluation.ratings.agreement import krippendorff_alpha_interval, spearman


@dataclass(frozen=True)
class ModelQuality:
    model_key: str
    human: float | None
    human_n: int
    automatic: float | None
    automatic_n: int
    flags: dict[str, int]

    @property
    def human_counts(self) -> bool:
        return self.human is not None and self.human_n >= settings.RATING_MIN_HUMAN

    @property
    def source(self) -> str | None:
        """Where `combined` comes from: human, automatic, combined (both), or None (no evidence)."""
        if self.human_counts:
            return HUMAN if self.automatic is None else COMBINED
        return None if self.automatic is None else AUTOMATIC

    @property
    def combined(self) -> float | None:
        if self.human_counts:
            return self.human if self.automatic is None else round((self.human + self.automatic) / 2, 4)
        return self.automatic

    @property
    def evidence(self) -> dict:
        """What the figure stands on, stored beside it in the catalog (AIModel.quality_evidence)."""
        return {"source": self.source, "human_n": self.human_n, "automatic_n": self.automatic_n}

    def as_dict(self) -> dict:
        return {"model": self.model_key, "quality": self.combined, "source": self.source, "human": self.human,
                "human_n": self.human_n, "automatic": self.automatic, "automatic_n": self.automatic_n,
                "flags": self.flags, "min_human_ratings": settings.RATING_MIN_HUMAN}


HUMAN, AUTOMATIC, COMBINED = "human", "automatic", "combined"


def source_label(evidence: dict | None) -> str:
    """"automatic n=9", "human n=5" or "combined: human n=5, automatic n=9", from `evidence`
    (ModelQuality.evidence, or as stored in AIModel.quality_evidence)."""
    evidence = evidence or {}
    human, automatic = f"human n={evidence.get('human_n', 0)}", f"automatic n={evidence.get('automatic_n', 0)}"
    return {HUMAN: human, AUTOMATIC: automatic, COMBINED: f"combined: {human}, {automatic}"}.get(
        evidence.get("source"), "no evidence yet")


FLAGS = ("hallucinated_number", "wrong_plan", "ignored_preference")


def model_quality(model_key: str) -> ModelQuality:
    return models_quality([model_key])[model_key]


def models_quality(model_keys: Iterable[str]) -> dict[str, ModelQuality]:
    """Each model's quality figure, in two grouped queries however many models there are."""
    keys = list(dict.fromkeys(model_keys))
    if not keys:
        return {}
    counts = {f"flag_{flag}": Count("id", filter=Q(**{flag: True})) for flag in FLAGS}
    human = {row.pop("item__asked_key"): row for row in (
        QualityRating.objects.filter(item__asked_key__in=keys).order_by().values("item__asked_key")
        .annotate(mean=Avg("overall"), n=Count("id"), **counts))}
    automatic = {row.pop("asked_key"): row for row in (
        RatingItem.evidence.filter(asked_key__in=keys, automatic_quality__isnull=False).order_by().values("asked_key")
        .annotate(mean=Avg("automatic_quality"), n=Count("id")))}
    return {key: figures(key, human.get(key), automatic.get(key)) for key in keys}


def figures(model_key: str, human: dict | None, automatic: dict | None) -> ModelQuality:
    human = human or {"mean": None, "n": 0}
    automatic = automatic or {"mean": None, "n": 0}
    return ModelQuality(
        model_key=model_key,
        human=None if human["mean"] is None else round((human["mean"] - 1) / 4, 4),
        human_n=human["n"],
        automatic=None if automatic["mean"] is None else round(automatic["mean"], 4),
        automatic_n=automatic["n"],
        flags={flag: human.get(f"flag_{flag}", 0) for flag in FLAGS},
    )


def inter_rater_alpha(field: str = "overall") -> tuple[float | None, int]:
    """Krippendorff's alpha over items rated by two or more raters, and how many such items."""
    by_item: dict[int, list[int]] = {}
    for item_id, value in QualityRating.objects.values_list("item_id", field):
        by_item.setdefault(item_id, []).append(value)
    multi = {k: v for k, v in by_item.items() if len(v) >= 2}
    return krippendorff_alpha_interval(multi), len(multi)


def automatic_vs_human() -> tuple[float | None, int]:
    """Spearman correlation between an item's automatic quality and its mean human overall."""
    rows = (RatingItem.objects.filter(automatic_quality__isnull=False, ratings__isnull=False)
            .annotate(human=Avg("ratings__overall")).values_list("automatic_quality", "human"))  # one row per item
    pairs = np.array(list(rows), dtype=float).reshape(-1, 2)
    return spearman(pairs[:, 0].tolist(), pairs[:, 1].tolist()), len(pairs)
