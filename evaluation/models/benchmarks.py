"""Benchmarks: suites of scenarios, runs of routes over them, and one unit per route × scenario."""

from django.conf import settings
from django.db import models


class BenchmarkSuite(models.Model):
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Scenario(models.Model):
    """One recommendation request (the API's input schema) that a benchmark replays."""

    suite = models.ForeignKey(BenchmarkSuite, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    payload = models.JSONField(help_text="A POST /api/v1/recommendations body")

    class Meta:
        ordering = ["suite", "id"]
        constraints = [models.UniqueConstraint(fields=["suite", "name"], name="scenario_unique_name")]

    def __str__(self) -> str:
        return f"{self.suite.name}/{self.name}"


class BenchmarkRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        FINISHED = "finished"  # every unit is in a terminal state

    suite = models.ForeignKey(BenchmarkSuite, on_delete=models.PROTECT, related_name="runs")
    label = models.CharField(max_length=200, blank=True)
    repetitions = models.PositiveSmallIntegerField(default=3)
    warmup_repetitions = models.PositiveSmallIntegerField(default=1, help_text="Per route, not counted")
    concurrency = models.PositiveSmallIntegerField(default=1, help_text="Units in flight at once")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Every list of runs is newest first: the admin list (and its date hierarchy), the
            # benchmark index page, GET /benchmarks.
            models.Index(fields=["-created_at", "-id"], name="benchmarkrun_newest"),
        ]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.suite.name}, {self.status})"


class BenchmarkRoute(models.Model):
    """What a run measures: one model for every stage, or a per-stage combination."""

    run = models.ForeignKey(BenchmarkRun, on_delete=models.CASCADE, related_name="routes")
    label = models.CharField(max_length=300)
    stage_models = models.JSONField(help_text='{"usage_summary": "local/gemma-3-270m", "plan_scoring": …, "narrative": …}')

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label


class BenchmarkUnit(models.Model):
    """One (run, route, scenario, repetition): the claimable piece of work and its result."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    TERMINAL = (Status.SUCCEEDED, Status.FAILED)

    run = models.ForeignKey(BenchmarkRun, on_delete=models.CASCADE, related_name="units")
    route = models.ForeignKey(BenchmarkRoute, on_delete=models.CASCADE, related_name="units")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="units")
    repetition = models.PositiveSmallIntegerField()
    is_warmup = models.BooleanField(default=False)
    unit_key = models.CharField(max_length=100, unique=True, help_text="run:route:scenario:repetition")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claim_token = models.CharField(max_length=64, blank=True, help_text="Who holds the lease")
    lease_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    output = models.JSONField(null=True, blank=True)
    stages = models.JSONField(default=dict, help_text="Per stage: timings, tokens, cost, model, valid, fallback")
    json_valid = models.BooleanField(null=True)
    quality = models.JSONField(default=dict)
    quality_score = models.FloatField(null=True, blank=True)
    # Wall time minus queue_ms: a unit that waited for live traffic on the engine is not slower for it.
    total_ms = models.FloatField(null=True, blank=True)
    queue_ms = models.FloatField(null=True, blank=True)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=8, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # A run's units by status: progress (page, poll, GET /benchmarks), the ended units of each
            # run in the lists, the next queued unit to claim, whether a run is done.
            models.Index(fields=["run", "status"], name="benchmarkunit_run_status"),
        ]

    def __str__(self) -> str:
        return self.unit_key
