import hashlib
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from energy.tariffs import PlanTerms, Tier

MONEY = {"max_digits": 10, "decimal_places": 2}
CENTS = {"max_digits": 8, "decimal_places": 4}


class Plan(models.Model):
    """A retail electricity plan. Field names match docs and GET /api/v1/plans exactly, so
    any client can recompute a bill with energy.tariffs."""

    provider = models.CharField(max_length=100)
    name = models.CharField(max_length=150)
    energy_rate_cents = models.DecimalField(null=True, blank=True, help_text="Flat ¢/kWh; leave empty for tiers", **CENTS)
    tiers = models.JSONField(
        null=True, blank=True,
        help_text='Marginal tiers: [{"up_to_kwh": 1000, "cents": 12.0}, {"up_to_kwh": null, "cents": 14.5}]',
    )
    base_fee = models.DecimalField(default=Decimal("0"), **MONEY)
    tdu_fixed = models.DecimalField(default=Decimal("0"), **MONEY)
    tdu_rate_cents = models.DecimalField(default=Decimal("0"), **CENTS)
    bill_credit = models.DecimalField(default=Decimal("0"), **MONEY)
    credit_min_kwh = models.DecimalField(default=Decimal("0"), max_digits=10, decimal_places=2)
    credit_max_kwh = models.DecimalField(null=True, blank=True, max_digits=10, decimal_places=2)
    renewable_pct = models.PositiveSmallIntegerField(default=0)
    contract_months = models.PositiveSmallIntegerField(default=0, help_text="0 = month-to-month")
    early_termination_fee = models.DecimalField(default=Decimal("0"), **MONEY)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["provider", "name"], name="plan_unique_name")]

    def __str__(self) -> str:
        return f"{self.provider} — {self.name}"

    def clean(self) -> None:
        try:
            self.terms()
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if self.renewable_pct > 100:
            raise ValidationError({"renewable_pct": "must be between 0 and 100"})

    def terms(self) -> PlanTerms:
        tiers = None
        if self.tiers:
            tiers = tuple(
                Tier(
                    up_to_kwh=None if t.get("up_to_kwh") is None else Decimal(str(t["up_to_kwh"])),
                    cents=Decimal(str(t["cents"])),
                )
                for t in self.tiers
            )
        return PlanTerms(
            energy_rate_cents=self.energy_rate_cents,
            tiers=tiers,
            base_fee=self.base_fee,
            tdu_fixed=self.tdu_fixed,
            tdu_rate_cents=self.tdu_rate_cents,
            bill_credit=self.bill_credit,
            credit_min_kwh=self.credit_min_kwh,
            credit_max_kwh=self.credit_max_kwh,
        )


class Recommendation(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    TERMINAL = (Status.SUCCEEDED, Status.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request_id = models.CharField(max_length=64, db_index=True)
    api_key = models.ForeignKey("energy.ApiKey", null=True, blank=True, on_delete=models.SET_NULL)
    mode = models.CharField(max_length=16)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    inputs = models.JSONField()
    route = models.JSONField(default=dict, help_text="The route pinned when the request started")
    progress = models.JSONField(default=dict, help_text="Per-stage status while running")
    output = models.JSONField(null=True, blank=True)
    performance = models.JSONField(default=dict)
    models_used = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    fallbacks = models.JSONField(default=list)
    execution_ms = models.FloatField(null=True, blank=True)
    cache_hit = models.BooleanField(
        default=False, help_text="Served from the response cache or from an identical request in flight: no model ran",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # Covers the switchboard's response-cache share (answered in a window, hits among
            # them) without reading a row: 13 ms over 100,000 recommendations instead of 215 ms.
            models.Index(fields=["status", "created_at", "cache_hit"], name="recommendation_answered"),
        ]

    def __str__(self) -> str:
        return f"{self.id} ({self.status})"


class LLMCall(models.Model):
    """One upstream model call, written before the call and finished after it, so a call
    that never returns (a dead worker, a hang) still leaves a `started` row behind."""

    class Status(models.TextChoices):
        STARTED = "started"
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        TIMEOUT = "timeout"
        INCOMPLETE = "incomplete"
        # The provider answered, but the stage's validation refused the answer (error_class says why).
        REJECTED = "rejected"

    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="calls",
    )
    context = models.CharField(
        max_length=100, blank=True, help_text="What made the call when not a recommendation, e.g. benchmark:12",
    )
    stage = models.CharField(max_length=32)
    model_key = models.CharField(max_length=200, db_index=True)
    provider_kind = models.CharField(max_length=32)
    resolved_model = models.CharField(max_length=200, blank=True, help_text="The model the provider says answered")
    attempt = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.STARTED, db_index=True)
    error_class = models.CharField(max_length=100, blank=True)
    error_message = models.TextField(blank=True)
    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.FloatField(null=True, blank=True)
    ttft_ms = models.FloatField(null=True, blank=True)
    # Engine calls: time spent waiting for the engine, before the call was sent (admission, not in
    # duration_ms) and in its queue; the rest of duration_ms is the engine's own work.
    queue_ms = models.FloatField(null=True, blank=True)
    input_tokens = models.PositiveIntegerField(null=True, blank=True)
    output_tokens = models.PositiveIntegerField(null=True, blank=True)
    cost_usd = models.DecimalField(null=True, blank=True, max_digits=12, decimal_places=8)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            # A model's live calls in a window, newest first: the switchboard's live figures
            # (evaluation.slots.live_stats) and the admin list filtered by model.
            models.Index(fields=["model_key", "started_at"], name="llmcall_model_started"),
        ]

    def __str__(self) -> str:
        return f"{self.model_key} {self.stage} {self.status}"


def hash_api_key(raw_key: str) -> str:
    # Keys are 256-bit random tokens, so a fast hash is enough: there is nothing to
    # brute-force, and every API request has to verify one.
    return hashlib.sha256(raw_key.encode()).hexdigest()


class ApiKey(models.Model):
    # What a key may be used for, whatever its user may do: an operation needs its scope AND the
    # user's permission (energy/auth.py names each operation's scope).
    SCOPES = ("recommend", "read", "switch", "benchmark", "rate")
    # A key with no user can only ask for recommendations and read.
    USERLESS_SCOPES = ("recommend", "read")

    name = models.CharField(max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys",
        help_text="The key acts with this user's permissions (e.g. switching slots); a key without a user can "
                  "only ask for recommendations and read.",
    )
    prefix = models.CharField(max_length=16, unique=True, help_text="Shown to identify the key; not secret")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(default=True)
    scopes = models.CharField(max_length=100, default="recommend read",
                              help_text="What the key may be used for, space-separated: " + ", ".join(SCOPES))
    expires_at = models.DateTimeField(null=True, blank=True, help_text="The key stops working at this time (optional)")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # The key's own limits (energy/rate_limits.py); empty follows the API_KEY_* setting.
    rate_per_minute = models.PositiveIntegerField(
        null=True, blank=True, help_text="Requests per minute (any operation); empty: API_KEY_RATE_PER_MINUTE; 0: none")
    daily_quota = models.PositiveIntegerField(
        null=True, blank=True, help_text="Recommendations asked for per UTC day; empty: API_KEY_DAILY_QUOTA; 0: none")
    max_queued = models.PositiveIntegerField(
        null=True, blank=True,
        help_text="Recommendations queued or running at once (wait=false); empty: API_KEY_MAX_QUEUED; 0: none")

    # For keys that must never be throttled, e.g. the benches' own.
    UNLIMITED = {"rate_per_minute": 0, "daily_quota": 0, "max_queued": 0}

    class Meta:
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes.split()

    def expired(self, now) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def assign_new_secret(self) -> str:
        """Give this (unsaved) key a fresh secret and return it; only its hash is kept."""
        self.prefix = secrets.token_hex(4)
        raw = f"eg_{self.prefix}_{secrets.token_urlsafe(32)}"
        self.key_hash = hash_api_key(raw)
        return raw

    @classmethod
    def generate(cls, name: str, user=None, *, scopes: tuple[str, ...] | None = None,
                 expires_at=None, **limits: int | None) -> tuple["ApiKey", str]:
        """Create a key and return it with the raw secret, which is never stored. By default a key
        that acts for a user has every scope (the user's permissions still apply), one without a
        user only `recommend` and `read`. `limits`: rate_per_minute, daily_quota, max_queued."""
        scopes = scopes if scopes is not None else (cls.SCOPES if user is not None else cls.USERLESS_SCOPES)
        key = cls(name=name, user=user, scopes=" ".join(scopes), expires_at=expires_at, **limits)
        raw = key.assign_new_secret()
        key.save()
        return key, raw
