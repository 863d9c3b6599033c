"""The catalog: providers, the models they serve, the probes that check them, and the audit
log of edits to either (whose abstract base the slot log shares)."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from energy.llm import endpoints

# Every audited change keeps why it was made; the API and the admin accept this much of it.
REASON_MAX_CHARS = 2000


class Provider(models.Model):
    class Kind(models.TextChoices):
        OPENAI_COMPATIBLE = "openai_compatible", "OpenAI-compatible (OpenAI, OpenRouter, vLLM, Ollama, llama.cpp server)"
        CLOUDFLARE = "cloudflare", "Cloudflare Workers AI"
        LLAMA_CPP = "llama_cpp", "Embedded GGUF (the inference engine, llama.cpp's llama-server)"
        RULES = "rules", "Built-in rules engine"
        COUNCIL = "council", "Council of catalog models (members answer and rank each other, a chairman synthesizes)"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    base_url = models.URLField(blank=True, help_text="API root, e.g. https://openrouter.ai/api/v1")
    account_id = models.CharField(max_length=64, blank=True, help_text="Cloudflare account id (not a secret)")
    secret_env = models.CharField(
        max_length=100, blank=True,
        help_text="NAME of the environment variable that holds the API key. The key itself is never stored.",
    )
    connect_timeout_s = models.FloatField(default=3.0, validators=[MinValueValidator(0.05), MaxValueValidator(120)])
    read_timeout_s = models.FloatField(default=8.0, help_text="Hard timeout for one call",
                                       validators=[MinValueValidator(0.05), MaxValueValidator(600)])
    max_concurrency = models.PositiveIntegerField(default=16, validators=[MinValueValidator(1), MaxValueValidator(1024)])
    requests_per_minute = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])
    enabled = models.BooleanField(default=True)

    # Changing where a provider's calls go, or which secret they carry (energy/llm/endpoints.py),
    # takes this permission besides change_provider / add_provider: superusers have it; grant it
    # to whoever may route traffic, and a secret, to a new address.
    ENDPOINT_FIELDS = ("base_url", "account_id", "secret_env")
    ENDPOINT_PERMISSION = "evaluation.change_provider_endpoint"

    class Meta:
        ordering = ["name"]
        permissions = [("change_provider_endpoint", "Can change where a provider's calls go and which secret they send")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        for name, check in (("secret_env", endpoints.check_secret_env), ("base_url", endpoints.check_base_url)):
            try:
                check(getattr(self, name))
            except endpoints.EndpointRefused as exc:
                errors[name] = str(exc)
        if errors:
            raise ValidationError(errors)

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
        COUNCIL = "council", "Council (each member asked in its own style)"

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
    context_window = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])
    price_input_per_mtok = models.DecimalField(
        max_digits=10, decimal_places=4, default=0, help_text="USD per million input tokens",
        validators=[MinValueValidator(0)],
    )
    price_output_per_mtok = models.DecimalField(
        max_digits=10, decimal_places=4, default=0, help_text="USD per million output tokens",
        validators=[MinValueValidator(0)],
    )
    advertised_ttft_ms = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0)])
    advertised_tokens_per_s = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0)])
    measured_ttft_ms = models.FloatField(null=True, blank=True)
    measured_tokens_per_s = models.FloatField(null=True, blank=True)
    measured_p95_ms = models.FloatField(null=True, blank=True)
    measured_cost_per_recommendation = models.DecimalField(max_digits=12, decimal_places=8, null=True, blank=True)
    measured_at = models.DateTimeField(null=True, blank=True)
    quality_score = models.FloatField(null=True, blank=True, help_text="0–1, from ratings and automatic checks")
    quality_evidence = models.JSONField(
        default=dict, blank=True, help_text='What quality_score comes from: {"source": "human" | "automatic" | "combined", '
                                            '"human_n": …, "automatic_n": …} (evaluation.ratings.model_quality)',
    )
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


class ModelProbe(models.Model):
    """The result of one tiny live call to a model (health schedule or a switch's pre-check)."""

    model = models.ForeignKey(AIModel, on_delete=models.CASCADE, related_name="probes")
    slot_name = models.CharField(max_length=32, blank=True)
    ok = models.BooleanField()
    latency_ms = models.FloatField(null=True, blank=True)
    # Why it failed: `kind` in the vocabulary an API client is told (energy.client_errors), `error`
    # with the detail (the exception's text) for operators; both empty when it passed.
    kind = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        indexes = [
            # A model's latest probe (switchboard health, GET /slots) and the admin list filtered by model.
            models.Index(fields=["model", "-created_at", "-id"], name="modelprobe_model_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.model.key} {'ok' if self.ok else 'failed'}"
