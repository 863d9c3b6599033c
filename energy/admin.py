from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse

from energy.models import ApiKey, LLMCall, Plan, Recommendation


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "provider", "energy_rate_cents", "base_fee", "bill_credit", "renewable_pct", "contract_months",
                    "active")
    list_filter = ("active", "provider", "contract_months")
    search_fields = ("name", "provider")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records are written by the product, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "mode", "status", "execution_ms", "api_key")
    list_select_related = ("api_key",)  # nullable: the admin's own select_related() would leave it out
    list_filter = ("status", "mode")
    search_fields = ("id", "request_id")
    date_hierarchy = "created_at"


@admin.register(LLMCall)
class LLMCallAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "model_key", "stage", "status", "duration_ms", "ttft_ms", "input_tokens", "output_tokens",
                    "cost_usd", "error_class")
    list_filter = ("status", "stage", "provider_kind", "model_key")
    search_fields = ("model_key", "recommendation__id", "context")
    date_hierarchy = "started_at"


LIMIT_FIELDS = ("rate_per_minute", "daily_quota", "max_queued")


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=[(scope, scope) for scope in ApiKey.SCOPES], widget=forms.CheckboxSelectMultiple,
        initial=list(ApiKey.USERLESS_SCOPES),
        help_text="What the key may be used for; its user's permissions apply as well.")

    class Meta:
        model = ApiKey
        fields = ("name", "user", "scopes", "expires_at", "active", *LIMIT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["scopes"] = self.instance.scopes.split()

    def clean_scopes(self) -> str:
        return " ".join(scope for scope in ApiKey.SCOPES if scope in self.cleaned_data["scopes"])

    def clean(self):
        cleaned = super().clean()
        scopes, user = cleaned.get("scopes", "").split(), cleaned.get("user")
        if user is None and set(scopes) - set(ApiKey.USERLESS_SCOPES):
            self.add_error("scopes", "a key without a user can only have the recommend and read scopes")
        return cleaned


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Everyone makes and manages keys that act for themselves; only a superuser binds a key to
    another user (a key acts with its user's permissions, and the audit rows name that user), or
    sets a key's own limits (else anyone could lift their key's). A new key's secret is shown once,
    on the page the save answers with: never in a message, which would travel in a cookie."""

    form = ApiKeyForm
    list_display = ("name", "prefix", "user", "scopes", "expires_at", "active", "created_at", "last_used_at")
    list_select_related = ("user",)
    list_filter = ("active",)
    search_fields = ("name", "prefix", "user__username")

    def get_queryset(self, request):
        keys = super().get_queryset(request)
        return keys if request.user.is_superuser else keys.filter(user=request.user)

    def get_readonly_fields(self, request, obj=None):
        return () if request.user.is_superuser else ("user", *LIMIT_FIELDS)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.user = request.user
        if not change:
            obj.raw_secret = obj.assign_new_secret()  # kept on the object for response_add only
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        response = TemplateResponse(request, "admin/energy/apikey/created.html", {
            **self.admin_site.each_context(request), "title": "API key created", "key": obj,
            "raw_secret": obj.raw_secret, "opts": self.opts,
        })
        response["Cache-Control"] = "no-store"
        return response
