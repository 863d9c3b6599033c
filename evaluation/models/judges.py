"""LLM judges: a catalog model asked to score a finished benchmark run's outputs on the raters'
rubric. Their scores live here, apart from the human ratings (QualityRating), so that nothing that
reads human figures can count them."""

from django.conf import settings
from django.db import models

from .benchmarks import BenchmarkRun
from .ratings import RatingItem


class Judging(models.Model):
    """One judge asked to score one run's outputs: who asked, when, which judge (the audit row of
    the start_judging action). Its scores are the claimable units."""

    run = models.ForeignKey(BenchmarkRun, on_delete=models.CASCADE, related_name="judgings")
    judge_key = models.CharField(max_length=200, help_text="The catalog model that judges (canonical key)")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.judge_key} on run {self.run_id}"


class JudgeScore(models.Model):
    """A judge's score of one output: a claimable unit under the same lease as a benchmark unit
    (evaluation.benchmarks.leases), done with the rubric's scores or failed with the reason,
    never both and never a made-up score."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    TERMINAL = (Status.DONE, Status.FAILED)

    judging = models.ForeignKey(Judging, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(RatingItem, on_delete=models.CASCADE, related_name="judge_scores")
    judge_key = models.CharField(max_length=200, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claim_token = models.CharField(max_length=64, blank=True, help_text="Who holds the lease")
    lease_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    why_sensible = models.PositiveSmallIntegerField(null=True, blank=True)
    values_reasonable = models.PositiveSmallIntegerField(null=True, blank=True)
    overall = models.PositiveSmallIntegerField(null=True, blank=True)
    flags = models.JSONField(default=list, help_text="Rubric flags the judge raised")
    raw_answer = models.TextField(blank=True, help_text="What the judge answered, parsed or not")
    duration_ms = models.FloatField(null=True, blank=True)
    input_tokens = models.PositiveIntegerField(null=True, blank=True)
    output_tokens = models.PositiveIntegerField(null=True, blank=True)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=8, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["judging", "item"], name="one_score_per_judging_per_item"),
            models.CheckConstraint(
                condition=(models.Q(overall__isnull=True)
                           | models.Q(why_sensible__range=(1, 5), values_reasonable__range=(1, 5), overall__range=(1, 5))),
                name="judge_scores_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["judging", "status"], name="judgescore_judging_status")]

    def __str__(self) -> str:
        return f"{self.judge_key} on item {self.item_id}: {self.status}"
