from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from energy.engine import state as engine_state
from evaluation.benchmarks.actions import RUN_PERMISSION
from evaluation.benchmarks.progress import with_unit_counts
from evaluation.catalog import actions as catalog_actions
from evaluation.catalog.admin_edits import AuditedAdmin, ForceableAuditedForm
from evaluation.catalog.council_admin import CouncilAdmin
from evaluation.models import (
    AIModel,
    BenchmarkRun,
    BenchmarkSuite,
    CatalogChange,
    Council,
    LiveFigureBucket,
    ModelProbe,
    Provider,
    RatingCollectionMark,
    RoutingPolicy,
    Scenario,
    Slot,
    SlotChange,
    Tier,
)
from evaluation.slots import routing
from evaluation.slots.actions import SWITCH_PERMISSION, SwitchRefused, switch_slot
from evaluation.slots.forms import ForceableReasonForm

admin.site.register(Council, CouncilAdmin)

MEASURED_FIGURES = ("measured_ttft", "measured_speed", "measured_p95", "measured_cost", "quality")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the actions (evaluation.*.actions) or the health schedule: look, never touch."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Provider)
class ProviderAdmin(AuditedAdmin):
    form = ForceableAuditedForm
    edit_action = staticmethod(catalog_actions.edit_provider)
    create_action = staticmethod(catalog_actions.create_provider)
    delete_action = staticmethod(catalog_actions.delete_provider)
    list_display = ("name", "kind", "base_url", "secret_env", "secret_status", "enabled")
    list_filter = ("kind", "enabled")
    search_fields = ("name", "base_url", "secret_env")
    readonly_fields = ("secret_status",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="Secret")
    def secret_status(self, provider: Provider) -> str:
        # Says whether the variable is set, never what it holds.
        if not provider.needs_secret:
            return "not needed"
        return "set" if provider.secret_configured else f"missing: {provider.secret_env}"


@admin.register(AIModel)
class AIModelAdmin(AuditedAdmin):
    form = ForceableAuditedForm
    edit_action = staticmethod(catalog_actions.edit_model)
    create_action = staticmethod(catalog_actions.create_model)
    delete_action = staticmethod(catalog_actions.delete_model)
    list_display = ("key", "provider", "status", "prompt_style", "price_input_per_mtok", "price_output_per_mtok",
                    *MEASURED_FIGURES)
    list_filter = ("status", "provider__kind", "provider", "prompt_style")
    search_fields = ("key", "display_name", "provider_model")
    list_select_related = ("provider",)
    # Measured figures come from benchmarks and ratings; an edit here would be overwritten.
    readonly_fields = (*MEASURED_FIGURES, "measured_at")
    empty_value_display = "—"
    fieldsets = (
        (None, {"fields": ("key", "aliases", "display_name", "provider", "provider_model", "status", "notes")}),
        ("Runtime", {"fields": ("prompt_style", "parameters", "stage_settings", "quantization", "context_window")}),
        ("Prices and advertised speed", {"fields": ("price_input_per_mtok", "price_output_per_mtok",
                                                    "advertised_ttft_ms", "advertised_tokens_per_s")}),
        ("Measured (benchmarks and ratings)", {"fields": (*MEASURED_FIGURES, "measured_at")}),
        ("Why (kept in the catalog change log)", {"fields": ("reason", "force")}),
    )
    actions = ("make_fast", "make_accurate", "benchmark_selected")
    change_list_template = "admin/evaluation/aimodel/change_list.html"

    def changelist_view(self, request, extra_context=None):
        # The embedded models' figures mean little without the engine that serves them.
        return super().changelist_view(request, {**(extra_context or {}), "engine": engine_state.current_sync()})

    @admin.display(description="TTFT (ms)", ordering="measured_ttft_ms")
    def measured_ttft(self, model: AIModel) -> str | None:
        return None if model.measured_ttft_ms is None else f"{model.measured_ttft_ms:.0f}"

    @admin.display(description="Tokens/s", ordering="measured_tokens_per_s")
    def measured_speed(self, model: AIModel) -> str | None:
        return None if model.measured_tokens_per_s is None else f"{model.measured_tokens_per_s:.1f}"

    @admin.display(description="p95 (ms)", ordering="measured_p95_ms")
    def measured_p95(self, model: AIModel) -> str | None:
        return None if model.measured_p95_ms is None else f"{model.measured_p95_ms:.0f}"

    @admin.display(description="Cost / recommendation", ordering="measured_cost_per_recommendation")
    def measured_cost(self, model: AIModel) -> str | None:
        cost = model.measured_cost_per_recommendation
        return None if cost is None else f"${cost:.6f}"

    @admin.display(description="Quality (0–1)", ordering="quality_score")
    def quality(self, model: AIModel) -> str | None:
        return render_to_string("evaluation/_quality_figure.html",
                                {"figure": model.quality_score, "evidence": model.quality_evidence})

    def has_switch_slot_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(SWITCH_PERMISSION)

    def has_benchmark_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(RUN_PERMISSION)

    @admin.action(description="Benchmark selected models", permissions=["benchmark"])
    def benchmark_selected(self, request: HttpRequest, queryset: QuerySet[AIModel]) -> HttpResponseRedirect:
        """On to the run form, with the selection checked there as one route per model."""
        keys = queryset.values_list("key", flat=True)
        return HttpResponseRedirect(f"{reverse('benchmarks:run-new')}?{urlencode({'models': list(keys)}, doseq=True)}")

    @admin.action(description="Make fast", permissions=["switch_slot"])
    def make_fast(self, request: HttpRequest, queryset: QuerySet[AIModel]) -> TemplateResponse | None:
        return self.switch_selected(request, queryset, slot_name="fast", action="make_fast")

    @admin.action(description="Make accurate", permissions=["switch_slot"])
    def make_accurate(self, request: HttpRequest, queryset: QuerySet[AIModel]) -> TemplateResponse | None:
        return self.switch_selected(request, queryset, slot_name="accurate", action="make_accurate")

    def switch_selected(self, request: HttpRequest, queryset: QuerySet[AIModel], *, slot_name: str,
                        action: str) -> TemplateResponse | None:
        """Ask for a reason on an intermediate page; its form posts back here with `post=yes`."""
        selected = list(queryset.select_related("provider")[:2])
        if len(selected) != 1:
            self.message_user(request, f"Select exactly one model to put in the {slot_name} slot.", messages.ERROR)
            return None
        model = selected[0]
        form = ForceableReasonForm(request.POST if request.POST.get("post") == "yes" else None)
        if form.is_valid():
            try:
                switch_slot(slot_name, model, acting_user=request.user, reason=form.cleaned_data["reason"],
                            force=form.cleaned_data["force"])
            except (SwitchRefused, PermissionDenied) as exc:
                self.message_user(request, f"Switch refused: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"The {slot_name} slot now uses {model.key}.", messages.SUCCESS)
            return None
        current = Slot.objects.select_related("model").filter(name=slot_name).first()
        return TemplateResponse(request, "admin/evaluation/aimodel/switch_slot_confirmation.html", {
            **self.admin_site.each_context(request),
            "title": f"Make {model.key} the {slot_name} model?",
            "opts": self.model._meta,
            "model": model,
            "slot_name": slot_name,
            "current": current.model if current else None,
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        })


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ("name", "model", "challenger", "challenger_share", "updated_at")
    list_select_related = ("model", "challenger")
    # Switching goes through evaluation.slots.actions (audited), from the switchboard or the model
    # changelist's actions, never a plain edit.
    readonly_fields = ("name", "model", "challenger", "challenger_share", "canary_started_at", "updated_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SlotListFilter(admin.RelatedFieldListFilter):
    """The slots to filter by, each named with its model (Slot.__str__) from one query."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin) or Slot._meta.ordering
        return [(slot.pk, str(slot)) for slot in Slot.objects.select_related("model").order_by(*ordering)]


@admin.register(SlotChange)
class SlotChangeAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "slot_name", "kind", "from_model", "to_model", "forced", "acting_user", "reason")
    list_filter = (("slot", SlotListFilter), "kind", "forced")
    search_fields = ("reason", "from_model__key", "to_model__key", "acting_user__username")
    list_select_related = ("slot", "from_model", "to_model", "acting_user")
    date_hierarchy = "created_at"

    # The slot's name alone: its model today is not what this change switched (from → to say that).
    @admin.display(description="slot", ordering="slot__name")
    def slot_name(self, change: SlotChange) -> str:
        return change.slot.name


@admin.register(CatalogChange)
class CatalogChangeAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "object_type", "object_label", "kind", "before", "after", "forced", "acting_user",
                    "reason")
    list_filter = ("object_type", "kind", "forced")
    search_fields = ("reason", "object_label", "acting_user__username")
    list_select_related = ("acting_user",)
    date_hierarchy = "created_at"


@admin.register(ModelProbe)
class ModelProbeAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "model", "slot_name", "ok", "latency_ms", "error")
    list_filter = ("ok", "slot_name", "model")
    search_fields = ("model__key", "error")
    list_select_related = ("model",)
    date_hierarchy = "created_at"


@admin.register(LiveFigureBucket)
class LiveFigureBucketAdmin(ReadOnlyAdmin):
    """The switchboard's pre-aggregated live figures, rolled up every minute: shown so an operator
    can check what the switchboard sums."""

    list_display = ("start", "model_key", "finished", "failed", "cost_usd", "recommendations", "stages_passed",
                    "stages_failed", "rolled_up_at")
    list_filter = ("model_key",)
    search_fields = ("model_key",)
    date_hierarchy = "start"


@admin.register(RatingCollectionMark)
class RatingCollectionMarkAdmin(ReadOnlyAdmin):
    """How far the scheduled collection of live rating items has read the recommendations."""

    list_display = ("name", "created_at", "recommendation_id", "updated_at")


@admin.register(RoutingPolicy)
class RoutingPolicyAdmin(AuditedAdmin):
    # Deleting the policy would silently route by the default one: edit it instead.
    edit_action = staticmethod(routing.edit_policy)
    create_action = staticmethod(routing.create_policy)
    list_display = ("__str__", "updated_at")

    def has_add_permission(self, request):
        # One policy (pk=1) routes every request.
        return super().has_add_permission(request) and not RoutingPolicy.objects.exists()


@admin.register(Tier)
class TierAdmin(AuditedAdmin):
    edit_action = staticmethod(routing.edit_tier)
    create_action = staticmethod(routing.create_tier)
    delete_action = staticmethod(routing.delete_tier)
    list_display = ("name", "description", "assignments")
    search_fields = ("name", "description")


class ScenarioInline(admin.StackedInline):
    model = Scenario
    extra = 0
    fields = ("name", "description", "payload")


@admin.register(BenchmarkSuite)
class BenchmarkSuiteAdmin(admin.ModelAdmin):
    list_display = ("name", "description", "scenario_count")
    search_fields = ("name", "description")
    inlines = (ScenarioInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[BenchmarkSuite]:
        return super().get_queryset(request).annotate(scenario_total=Count("scenarios"))

    @admin.display(description="Scenarios", ordering="scenario_total")
    def scenario_count(self, suite: BenchmarkSuite) -> int:
        return suite.scenario_total


@admin.register(BenchmarkRun)
class BenchmarkRunAdmin(ReadOnlyAdmin):
    """Runs start from the run form (or the API, or manage.py run_benchmark) and are read on their page."""

    list_display = ("__str__", "label", "status", "progress", "created_by", "created_at", "page_link")
    list_filter = ("status", "suite")
    search_fields = ("label", "suite__name")
    list_select_related = ("suite", "created_by")
    date_hierarchy = "created_at"
    fields = ("page_link", "suite", "label", "status", "progress", "repetitions", "warmup_repetitions", "concurrency",
              "created_by", "created_at", "started_at", "finished_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[BenchmarkRun]:
        # Counted per run shown (subqueries), not by joining every unit of every run into each query of the page.
        return with_unit_counts(super().get_queryset(request))

    @admin.display(description="Units finished")
    def progress(self, run: BenchmarkRun) -> str:
        return f"{run.unit_terminal} / {run.unit_total}"

    @admin.display(description="Page")
    def page_link(self, run: BenchmarkRun) -> str:
        return format_html('<a href="{}">progress and figures</a> · <a href="{}?run={}">decision matrix</a>',
                           reverse("benchmarks:run", args=[run.pk]), reverse("benchmarks:matrix"), run.pk)
