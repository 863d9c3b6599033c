"""The admin's council pages: compose a council from catalog models, by the one audited action
(evaluation.catalog.councils.compose_council). The form asks why; a refusal is a form error on the
field it names, and nothing is stored."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from energy.problems import ClientError
from evaluation.catalog.admin_edits import REASON_WIDGET, error_target
from evaluation.catalog.councils import Composition, compose_council, state
from evaluation.models import AIModel, Council, Provider

SETTINGS = ("min_answers", "ranking_share", "answers_timeout_s", "ranking_timeout_s", "synthesis_timeout_s")
NOT_COUNCILS = AIModel.objects.exclude(provider__kind=Provider.Kind.COUNCIL).select_related("provider")


class CouncilForm(forms.ModelForm):
    key = forms.CharField(max_length=200, help_text="The catalog key slots and routes point at, e.g. council/local-trio")
    display_name = forms.CharField(max_length=200, required=False)
    members = forms.ModelMultipleChoiceField(queryset=NOT_COUNCILS, help_text="2–6 models; no council")
    chairman = forms.ModelChoiceField(queryset=NOT_COUNCILS, help_text=(
        "Writes the answer from the members' answers; the rules engine serves the best-ranked answer instead"))
    reason = forms.CharField(widget=REASON_WIDGET, strip=True, help_text="Why? Kept in the catalog change log.")
    force = forms.BooleanField(required=False, label="Force (skip the live probe)",
                               help_text="Only where the council serves a slot.")

    acting_user = None  # set per request by CouncilAdmin.get_form

    class Meta:
        model = Council
        fields = SETTINGS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["key"].initial = self.instance.model.key
            self.fields["key"].disabled = True
            self.fields["display_name"].initial = self.instance.model.display_name
            self.fields["members"].initial = list(self.instance.members.all())
            self.fields["chairman"].initial = self.instance.chairman

    def _post_clean(self) -> None:
        super()._post_clean()
        if self._errors:
            return
        data = self.cleaned_data
        composition = Composition(
            members=tuple(m.key for m in data["members"]), chairman=data["chairman"].key,
            display_name=data["display_name"],
            **{name: data[name] for name in SETTINGS})
        try:
            self.change = compose_council(data["key"], composition, acting_user=self.acting_user,
                                          reason=data["reason"], force=data["force"])
        except (ClientError, PermissionDenied) as exc:
            self.add_error(*error_target(self, str(exc)))
            return
        self.instance = Council.objects.get(model__key=data["key"])


class CouncilAdmin(admin.ModelAdmin):
    form = CouncilForm
    list_display = ("model", "composition", "min_answers", "ranking_share")
    list_select_related = ("model", "chairman")
    search_fields = ("model__key", "members__key", "chairman__key")
    fieldsets = (
        (None, {"fields": ("key", "display_name", "members", "chairman")}),
        ("Degradation", {"fields": ("min_answers", "ranking_share", "answers_timeout_s", "ranking_timeout_s",
                                    "synthesis_timeout_s")}),
        ("Why (kept in the catalog change log)", {"fields": ("reason", "force")}),
    )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("members")

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})

    def save_model(self, request: HttpRequest, obj: Council, form: CouncilForm, change: bool) -> None:
        """The form's validation already saved it, with its audit row."""

    def save_related(self, request, form, formsets, change) -> None:
        """Members are set by the action."""

    def has_delete_permission(self, request, obj=None) -> bool:
        # Removing a council removes its catalog entry: delete that (audited) from the models list.
        return False

    @admin.display(description="Members → chairman")
    def composition(self, council: Council) -> str:
        composed = state(council)
        return f"{', '.join(composed['members'])} → {composed['chairman']}"
