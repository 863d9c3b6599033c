"""The switchboard's inputs. Each form only validates; the change itself is an evaluation.slots.actions call."""

from django import forms

from evaluation.models import AIModel

REASON_WIDGET = forms.Textarea(attrs={"rows": 2, "cols": 50, "placeholder": "Why? (kept in the audit trail)"})


def enabled_models():
    return AIModel.objects.filter(status=AIModel.Status.ENABLED).select_related("provider")


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=REASON_WIDGET, strip=True)


class ForceableReasonForm(ReasonForm):
    force = forms.BooleanField(required=False, label="Force (skip the live probe)")


class SwitchForm(ForceableReasonForm):
    model = forms.ModelChoiceField(queryset=enabled_models(), to_field_name="key", label="Model")

    field_order = ("model", "reason", "force")


class RollbackForm(forms.Form):
    # One click: the prefilled reason is enough.
    reason = forms.CharField(initial="rollback", required=False, strip=True,
                             widget=forms.TextInput(attrs={"size": 20}))


class CanaryForm(ForceableReasonForm):
    challenger = forms.ModelChoiceField(queryset=enabled_models(), to_field_name="key", label="Challenger")
    share = forms.IntegerField(min_value=1, max_value=99, initial=10, label="Share (%)",
                               widget=forms.NumberInput(attrs={"style": "width: 4em"}))

    field_order = ("challenger", "share", "reason", "force")
