from django.contrib import admin, messages

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


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "active", "created_at", "last_used_at")
    list_select_related = ("user",)
    list_filter = ("active",)
    search_fields = ("name", "prefix", "user__username")
    fields = ("name", "user", "active")
    readonly_fields = ()

    def save_model(self, request, obj, form, change):
        if not change:
            raw = obj.assign_new_secret()
            # Shown once, here; the database keeps only the hash.
            messages.warning(request, f"New API key (copy it now, it is not shown again): {raw}")
        super().save_model(request, obj, form, change)
