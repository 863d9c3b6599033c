"""The benchmark pages' inputs. Each form only validates; runs start and slots switch through
the actions in evaluation.benchmarks.actions and evaluation.slots.actions."""

from django import forms

from energy.llm.base import STAGES
from evaluation.benchmarks.matrix import DEFAULT_REQUESTS_PER_DAY
from evaluation.models import AIModel, BenchmarkRun, BenchmarkSuite, Provider, Slot
from evaluation.slots.forms import REASON_WIDGET, enabled_models

MAX_REQUESTS_PER_DAY = 1_000_000_000
NUMBER_WIDGET = forms.NumberInput(attrs={"style": "width: 6em"})


def stage_field(stage: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=enabled_models(), to_field_name="key", required=False,
                                  label=stage.replace("_", " ").capitalize(), empty_label="—")


class RunForm(forms.Form):
    suite = forms.ModelChoiceField(queryset=BenchmarkSuite.objects.all(), to_field_name="name", empty_label=None)
    models = forms.ModelMultipleChoiceField(
        queryset=enabled_models(), to_field_name="key", required=False, widget=forms.CheckboxSelectMultiple,
        label="Models", help_text="Each checked model is one route: it serves every stage.",
    )
    usage_summary = stage_field("usage_summary")
    plan_scoring = stage_field("plan_scoring")
    narrative = stage_field("narrative")
    repetitions = forms.IntegerField(min_value=1, max_value=100, initial=3, widget=NUMBER_WIDGET)
    warmup_repetitions = forms.IntegerField(min_value=0, max_value=10, initial=1, widget=NUMBER_WIDGET, label="Warm-up",
                                            help_text="Repetitions per route before measuring; never counted.")
    concurrency = forms.IntegerField(min_value=1, max_value=16, initial=1, widget=NUMBER_WIDGET,
                                     help_text="Units in flight at once.")
    label = forms.CharField(max_length=200, required=False)

    FIELDSETS = (
        ("Routes", "", ("models",)),
        ("Per-stage combination", "Optional: one more route that combines models, one per stage (choose all three).", STAGES),
        ("Run", "", ("suite", "repetitions", "warmup_repetitions", "concurrency", "label")),
    )

    def fieldsets(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [(title, help_text, [self[name] for name in names]) for title, help_text, names in self.FIELDSETS]

    def clean(self) -> dict:
        cleaned = super().clean()
        chosen = [cleaned.get(stage) for stage in STAGES]
        if any(chosen) and not all(chosen):
            raise forms.ValidationError("A per-stage combination needs a model for each of the three stages.")
        if not cleaned.get("models") and not any(chosen):
            raise forms.ValidationError("Choose at least one model or a per-stage combination.")
        return cleaned

    def routes(self) -> list[str | dict[str, str]]:
        """The models as single-model routes, then the per-stage combination if one was chosen."""
        routes: list[str | dict[str, str]] = [model.key for model in self.cleaned_data["models"]]
        if self.cleaned_data.get(STAGES[0]):
            routes.append({stage: self.cleaned_data[stage].key for stage in STAGES})
        return routes


class MatrixForm(forms.Form):
    run = forms.ModelChoiceField(queryset=BenchmarkRun.objects.select_related("suite"), widget=forms.HiddenInput)
    requests_per_day = forms.IntegerField(min_value=1, max_value=MAX_REQUESTS_PER_DAY, initial=DEFAULT_REQUESTS_PER_DAY,
                                          label="Requests per day", widget=forms.NumberInput(attrs={"style": "width: 9em"}))


class PromoteForm(forms.Form):
    slot = forms.ModelChoiceField(queryset=Slot.objects.all(), to_field_name="name")
    reason = forms.CharField(widget=REASON_WIDGET, strip=True)
    override_gates = forms.BooleanField(required=False, label="Override gates",
                                        help_text="Promote although a gate fails; the failed gates go into the audit trail.")
    requests_per_day = forms.IntegerField(min_value=1, max_value=MAX_REQUESTS_PER_DAY, required=False,
                                          widget=forms.HiddenInput)


class JudgeForm(forms.Form):
    judge = forms.ModelChoiceField(
        # The rules engine answers no prompt and a council serves stages, so neither is offered (start_judging
        # refuses them anyway).
        queryset=enabled_models().exclude(prompt_style=AIModel.PromptStyle.RULES)
        .exclude(provider__kind__in=[Provider.Kind.RULES, Provider.Kind.COUNCIL]),
        to_field_name="key", help_text="Scores every output of the run on the raters' rubric, blind to its model.",
    )
