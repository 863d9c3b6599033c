import os

from django.conf import settings
from django.db import models


class Provider(models.Model):
    class Kind(models.TextChoices):
        OPENAI_COMPATIBLE = "openai_compatible", "OpenAI-compatible (OpenAI, OpenRouter, vLLM, Ollama, llama.cpp server)"
        CLOUDFLARE = "cloudflare", "Cloudflare Workers AI"
        LLAMA_CPP = "llama_cpp", "Embedded GGUF (the inference engine, llama.cpp's llama-server)"
        RULES = "rules", "Built-in rules engine"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    base_url = models.URLField(blank=True, help_text="API root, e.g. https://openrouter.ai/api/v1")
    account_id = models.CharField(max_length=64, blank=True, help_text="Cloudflare account id (not a secret)")
    secret_env = models.CharField(
        max_length=100, blank=True,
        help_text="NAME of the environment variable that holds the API key. The key itself is never stored.",
    )
    connect_timeout_s = models.FloatField(default=3.0)
    read_timeout_s = models.FloatField(default=8.0, help_text="Hard timeout for one call")
    max_concurrency = models.PositiveIntegerField(default=16)
    requests_per_minute = models.PositiveIntegerField(null=True, blank=True)
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_secret(self) -> bool:
        return bool(self.secret_env)

    @property
    def secret_configured(self) -> bool:
        """Whether the environment holds the secret. Never returns or logs the value."""
        return not self.secret_env or bool(os.environ.get(self.secret_env))


class AIModel(models.Model):
    class PromptStyle(models.TextChoices):
        CHAT = "chat", "Chat messages, JSON answers"
        COMPLETION = "completion", "Few-shot completion, one line per answer"
        RULES = "rules", "Deterministic (no prompt)"

    class Status(models.TextChoices):
        ENABLED = "enabled"
        DISABLED = "disabled"
        RETIRED = "retired"

    key = models.CharField(max_length=200, unique=True, help_text="Canonical id, e.g. local/gemma-3-270m")
    aliases = models.JSONField(default=list, blank=True, help_text="Other names that resolve to this key")
    display_name = models.CharField(max_length=200)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="models")
    provider_model = models.CharField(max_length=200, help_text="The provider's own identifier")
    parameters = models.JSONField(default=dict, blank=True, help_text="Runtime parameters, e.g. n_threads, n_ctx, json_grammar")
    quantization = models.CharField(max_length=32, blank=True)
    context_window = models.PositiveIntegerField(null=True, blank=True)
    price_input_per_mtok = models.DecimalField(
        max_digits=10, decimal_places=4, default=0, help_text="USD per million input tokens",
    )
    price_output_per_mtok = models.DecimalField(
        max_digits=10, decimal_places=4, default=0, help_text="USD per million output tokens",
    )
    advertised_ttft_ms = models.FloatField(null=True, blank=True)
    advertised_tokens_per_s = models.FloatField(null=True, blank=True)
    measured_ttft_ms = models.FloatField(null=True, blank=True)
    measured_tokens_per_s = models.FloatField(null=True, blank=True)
    measured_p95_ms = models.FloatField(null=True, blank=True)
    measured_cost_per_recommendation = models.DecimalField(max_digits=12, decimal_places=8, null=True, blank=True)
    measured_at = models.DateTimeField(null=True, blank=True)
    quality_score = models.FloatField(null=True, blank=True, help_text="0–1, from ratings and automatic checks")
    prompt_style = models.CharField(max_length=16, choices=PromptStyle.choices, default=PromptStyle.CHAT)
    stage_settings = models.JSONField(
        default=dict, blank=True,
        help_text='Per stage: {"narrative": {"max_tokens": 48, "temperature": 0.2, "stop": ["\\n"]}}',
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ENABLED, db_index=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = "AI model"

    def __str__(self) -> str:
        return self.key


class Slot(models.Model):
    """A named role (`fast`, `accurate`) served by one model at a time, optionally with a
    challenger that receives a share of live traffic (a canary)."""

    name = models.CharField(max_length=32, unique=True)
    model = models.ForeignKey(AIModel, on_delete=models.PROTECT, related_name="slots")
    challenger = models.ForeignKey(AIModel, null=True, blank=True, on_delete=models.PROTECT, related_name="challenging")
    challenger_share = models.PositiveSmallIntegerField(default=0, help_text="Percent of requests sent to the challenger")
    canary_started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        permissions = [("switch_slot", "Can switch the model serving a slot")]

    def __str__(self) -> str:
        return f"{self.name} → {self.model.key}"


class AuditedChange(models.Model):
    """What every audit row holds, whatever it changed: who, when, what kind of change, why, and
    whether a failing live probe was overridden. Abstract: each log keeps its own table."""

    kind = models.CharField(max_length=20)
    forced = models.BooleanField(default=False, help_text="The live probe was overridden")
    acting_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class SlotChange(AuditedChange):
    """Audit row for every change of a slot: who, when, from, to, why."""

    class Kind(models.TextChoices):
        SWITCH = "switch"
        ROLLBACK = "rollback"
        TIER = "tier"
        CANARY_START = "canary_start", "canary started"
        CANARY_PROMOTE = "canary_promote", "canary promoted"
        CANARY_ABORT = "canary_abort", "canary aborted"

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SWITCH)
    from_model = models.ForeignKey(AIModel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_model = models.ForeignKey(AIModel, on_delete=models.PROTECT, related_name="+")

    class Meta(AuditedChange.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.slot.name}: {self.from_model} → {self.to_model}"


class CatalogChange(AuditedChange):
    """Audit row for every change of the catalog that can alter serving (a routing policy, a
    tier, a model, a provider): which object, its changed fields before → after, why.
    `before` is what a rollback re-applies."""

    class Kind(models.TextChoices):
        EDIT = "edit"
        ROLLBACK = "rollback"
        CREATE = "create"
        DELETE = "delete"

    class ObjectType(models.TextChoices):
        POLICY = "policy", "routing policy"
        TIER = "tier", "tier"
        MODEL = "model", "model"
        PROVIDER = "provider", "provider"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EDIT)
    object_type = models.CharField(max_length=16, choices=ObjectType.choices)
    object_id = models.PositiveIntegerField()
    object_label = models.CharField(max_length=200, help_text="The object's name or key when the change was made")
    before = models.JSONField(default=dict, blank=True, help_text="The changed fields' values before")
    after = models.JSONField(default=dict, blank=True, help_text="The changed fields' values after")

    class Meta(AuditedChange.Meta):
        indexes = [models.Index(fields=["object_type", "object_id"], name="catalogchange_object")]
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="catalogchange_has_reason")]

    def __str__(self) -> str:
        return f"{self.get_object_type_display()} {self.object_label}: {self.get_kind_display()}"


class RoutingPolicy(models.Model):
    """Which slot serves each stage for each request mode, the fallback order, and the rules
    that move a stage to another slot for hard inputs. One row (pk=1)."""

    stage_slots = models.JSONField(
        default=dict, blank=True,
        help_text='Per mode, per stage: {"fast": {"narrative": "fast"}}. Missing stages use the slot named like the mode.',
    )
    fallback_slots = models.JSONField(
        default=dict, blank=True,
        help_text='Slots tried after the stage\'s own, per mode: {"fast": ["accurate"], "accurate": []}. '
                  "Rules always end the chain.",
    )
    rules = models.JSONField(
        default=list, blank=True,
        help_text='[{"stage": "plan_scoring", "signal": "eligible_plans", "above": 8, "slot": "accurate"}] '
                  "— signals: eligible_plans, prompt_tokens; stage may be \"*\"",
    )
    degrade_to_rules = models.BooleanField(
        default=True,
        help_text="End every chain with the rules engine. Off: a stage whose models all fail answers 503 instead "
                  "(unless a slot itself is on the rules engine).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "routing policy"

    def __str__(self) -> str:
        return "Routing policy"


class Tier(models.Model):
    """A named preset (speed / balanced / cost) that sets every slot at once."""

    name = models.CharField(max_length=32, unique=True)
    description = models.CharField(max_length=200, blank=True)
    assignments = models.JSONField(help_text='{"fast": "local/gemma-3-270m", "accurate": "builtin/rules"}')

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ModelProbe(models.Model):
    """The result of one tiny live call to a model (health schedule or a switch's pre-check)."""

    model = models.ForeignKey(AIModel, on_delete=models.CASCADE, related_name="probes")
    slot_name = models.CharField(max_length=32, blank=True)
    ok = models.BooleanField()
    latency_ms = models.FloatField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.model.key} {'ok' if self.ok else 'failed'}"


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

    def __str__(self) -> str:
        return self.unit_key


class RatingItem(models.Model):
    """One output put in front of raters: a benchmark result or a sampled live recommendation.
    Raters see only `payload` (the recommendation data), never which model produced it."""

    class Source(models.TextChoices):
        BENCHMARK = "benchmark"
        LIVE = "live"

    source = models.CharField(max_length=16, choices=Source.choices)
    unit = models.OneToOneField(BenchmarkUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="rating_item")
    recommendation = models.OneToOneField("energy.Recommendation", null=True, blank=True, on_delete=models.CASCADE,
                                          related_name="rating_item")
    scenario_key = models.CharField(max_length=200, db_index=True, help_text="Items with the same key answer the same input")
    model_key = models.CharField(max_length=200, db_index=True, help_text="Hidden from raters")
    payload = models.JSONField(help_text="The recommendation data shown to raters")
    inputs = models.JSONField(default=dict, help_text="The request, shown to raters")
    automatic_quality = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"item {self.pk} ({self.source})"


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
    """A rater's choice between two outputs for the same input, shown side by side in random order."""

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
        constraints = [models.UniqueConstraint(fields=["item_a", "item_b", "rater"], name="one_choice_per_rater_per_pair")]

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


class LiveFigureBucket(models.Model):
    """A model's live figures over one closed 5-minute bucket (calls by their start,
    recommendations by their creation), rolled up every minute by
    evaluation.tasks.roll_up_live_figures so that the switchboard sums these rows instead of
    reading every call of the day."""

    model_key = models.CharField(max_length=200)
    start = models.DateTimeField(help_text="Start of the bucket (UTC)")
    finished = models.PositiveIntegerField(default=0, help_text="Finished live calls")
    failed = models.PositiveIntegerField(default=0, help_text="Failed, timed-out and incomplete live calls")
    cost_usd = models.DecimalField(max_digits=16, decimal_places=8, default=0)
    recommendations = models.PositiveIntegerField(default=0, help_text="Recommendations that called the model")
    stages_passed = models.PositiveIntegerField(default=0)
    stages_failed = models.PositiveIntegerField(default=0)
    rolled_up_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model_key", "start"], name="one_live_figure_row_per_model_bucket")]
        indexes = [models.Index(fields=["start"], name="live_figure_bucket_start_idx")]

    def __str__(self) -> str:
        return f"{self.model_key} @ {self.start:%Y-%m-%d %H:%M}"
