from django.contrib import admin

from evaluation.models import AIModel, Provider, Slot, SlotChange


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "base_url", "secret_env", "secret_status", "enabled")
    list_filter = ("kind", "enabled")
    search_fields = ("name", "base_url")

    @admin.display(description="Secret")
    def secret_status(self, provider: Provider) -> str:
        # Says whether the variable is set, never what it holds.
        if not provider.needs_secret:
            return "not needed"
        return "set" if provider.secret_configured else f"missing: {provider.secret_env}"


@admin.register(AIModel)
class AIModelAdmin(admin.ModelAdmin):
    list_display = ("key", "provider", "status", "prompt_style", "price_input_per_mtok", "price_output_per_mtok",
                    "measured_ttft_ms", "measured_tokens_per_s", "measured_p95_ms", "quality_score")
    list_filter = ("status", "provider__kind", "provider", "prompt_style")
    search_fields = ("key", "display_name", "provider_model")


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ("name", "model", "updated_at")
    # Switching goes through evaluation.actions.switch_slot (audited), not a plain edit.
    readonly_fields = ("name", "model", "updated_at")

    def has_add_permission(self, request):
        return False


@admin.register(SlotChange)
class SlotChangeAdmin(admin.ModelAdmin):
    list_display = ("created_at", "slot", "from_model", "to_model", "acting_user", "reason")
    list_filter = ("slot",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
