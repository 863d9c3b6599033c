"""What serves traffic: the slots, the routing policy and tiers that point stages at them, the
slot audit log, and the live figures rolled up per model for the switchboard."""

from django.db import models

from .catalog import AIModel, AuditedChange


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
        indexes = [
            # A slot's latest change (GET /slots, the rollback target on the switchboard) and the
            # admin list filtered by slot.
            models.Index(fields=["slot", "-created_at", "-id"], name="slotchange_slot_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.slot.name}: {self.from_model} → {self.to_model}"


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
