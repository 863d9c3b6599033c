"""Ratings: outputs put before raters, their ratings and pairwise votes, and how far live
samples have been collected."""

import secrets

from django.conf import settings
from django.db import models

from .benchmarks import BenchmarkUnit


def new_public_id() -> str:
    return secrets.token_urlsafe(16)


def new_queue_position() -> int:
    return secrets.randbits(62)


class RateableItems(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(failed=False)


class RatingItem(models.Model):
    """One output put in front of raters: a benchmark result or a sampled live recommendation.
    Raters see only `payload` (the recommendation data), never which model produced it, and address
    it by `public_id`: the primary key counts up in the blocks items are collected in (a benchmark
    writes one model's outputs together), so it would hint at the model."""

    class Source(models.TextChoices):
        BENCHMARK = "benchmark"
        LIVE = "live"

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False,
                                 help_text="The random address raters see instead of the primary key")
    queue_position = models.BigIntegerField(default=new_queue_position, editable=False,
                                            help_text="Random: the rating queue is ordered by it, mixed per rater")
    source = models.CharField(max_length=16, choices=Source.choices)
    unit = models.OneToOneField(BenchmarkUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="rating_item")
    recommendation = models.OneToOneField("energy.Recommendation", null=True, blank=True, on_delete=models.CASCADE,
                                          related_name="rating_item")
    scenario_key = models.CharField(max_length=200, db_index=True, help_text="Items with the same key answer the same input")
    asked_key = models.CharField(max_length=200, db_index=True, default="", help_text=(
        "The route that was asked to serve: whose quality the item counts for. Hidden from raters"))
    model_key = models.CharField(max_length=200, db_index=True, help_text=(
        "The models that actually served (a fallback's when the asked one failed). Hidden from raters"))
    failed = models.BooleanField(default=False, help_text="The asked route produced no output: counts 0 in the automatic "
                                                          "figure, and is never put in front of raters (nothing to rate)")
    payload = models.JSONField(help_text="The recommendation data shown to raters")
    inputs = models.JSONField(default=dict, help_text="The request, shown to raters")
    automatic_quality = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    # Raters only ever reach outputs: the default manager (admin, get_object_or_404, the queue)
    # leaves failures out, and the quality figures read every sample through `evidence`.
    evidence = models.Manager()
    objects = RateableItems()

    class Meta:
        ordering = ["created_at", "id"]
        default_manager_name = "objects"
        base_manager_name = "evidence"

    def __str__(self) -> str:
        return f"item {self.pk} ({self.source})"

    def save(self, *args, **kwargs) -> None:
        # An item written without the asked route (a fixture, an import) counts for the models that served.
        self.asked_key = self.asked_key or self.model_key
        super().save(*args, **kwargs)


class QualityRating(models.Model):
    """One rater's judgement of one item, on the rubric. Edits keep their history."""

    item = models.ForeignKey(RatingItem, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quality_ratings")
    why_sensible = models.PositiveSmallIntegerField(help_text="1–5: the explanations make sense")
    values_reasonable = models.PositiveSmallIntegerField(help_text="1–5: the numbers are reasonable")
    overall = models.PositiveSmallIntegerField(help_text="1–5")
    hallucinated_number = models.BooleanField(default=False)
    wrong_plan = models.BooleanField(default=False)
    ignored_preference = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "rater"], name="one_rating_per_rater_per_item"),
            models.CheckConstraint(
                condition=models.Q(why_sensible__range=(1, 5), values_reasonable__range=(1, 5), overall__range=(1, 5)),
                name="rating_scores_1_to_5",
            ),
        ]
        permissions = [("rate_output", "Can rate recommendation quality")]
        indexes = [
            # A rater's latest ratings, on the rating queue page.
            models.Index(fields=["rater", "-updated_at", "-id"], name="qualityrating_rater_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.rater} on item {self.item_id}: {self.overall}/5"


class QualityRatingRevision(models.Model):
    """The previous values of a rating, written before every edit."""

    rating = models.ForeignKey(QualityRating, on_delete=models.CASCADE, related_name="revisions")
    values = models.JSONField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"revision of rating {self.rating_id}"


class PairwiseComparison(models.Model):
    """A rater's choice between two outputs for the same input, shown side by side in random order.
    Stored in one order, item_a the lower id (the choice turned round when the rater saw them the
    other way), so that (a, b) and (b, a) are one pair with one choice per rater."""

    class Choice(models.TextChoices):
        A = "a"
        B = "b"
        TIE = "tie"

    item_a = models.ForeignKey(RatingItem, on_delete=models.CASCADE, related_name="+")
    item_b = models.ForeignKey(RatingItem, on_delete=models.CASCADE, related_name="+")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pairwise_comparisons")
    choice = models.CharField(max_length=3, choices=Choice.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item_a", "item_b", "rater"], name="one_choice_per_rater_per_pair"),
            models.CheckConstraint(condition=models.Q(item_a__lt=models.F("item_b")), name="pair_in_canonical_order"),
        ]

    def __str__(self) -> str:
        return f"{self.rater}: {self.item_a_id} vs {self.item_b_id} → {self.choice}"


class RatingCollectionMark(models.Model):
    """How far the collection of live rating items has read the recommendations, in (created_at,
    id) order: every recommendation before the mark has been considered for the sample once."""

    name = models.CharField(max_length=50, unique=True)
    created_at = models.DateTimeField(null=True, blank=True, help_text="created_at of the last recommendation considered")
    recommendation_id = models.UUIDField(null=True, blank=True, help_text="id of the last recommendation considered")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.created_at} / {self.recommendation_id}"
