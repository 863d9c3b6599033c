"""The admin's change forms for catalog objects, made audited actions.

The form asks why (and, where a live probe may run, whether to force past it). Its validation
ends by carrying out the action: a refusal becomes a form error and nothing is stored; a change
is saved with its audit row, so the admin's own save has nothing left to do.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest

from energy.problems import ClientError
from evaluation.models import CatalogChange

REASON_WIDGET = forms.Textarea(attrs={"rows": 2, "cols": 50, "placeholder": "Why? (kept in the change log)"})
# edit(instance, changes, acting_user=, reason=, force=) / create(instance, acting_user=, reason=)
Edit = Callable[..., CatalogChange]


class AuditedForm(forms.ModelForm):
    reason = forms.CharField(widget=REASON_WIDGET, strip=True, help_text="Why? Kept in the catalog change log.")

    acting_user = None  # set per request by AuditedAdmin.get_form
    audited: "AuditedAdmin"
    change: CatalogChange | None = None  # the change this form's validation made

    def model_changes(self) -> dict[str, Any]:
        names = {f.name for f in self._meta.model._meta.concrete_fields}
        return {name: self.cleaned_data[name] for name in self.changed_data if name in names}

    def _post_clean(self) -> None:
        super()._post_clean()
        if self._errors:
            return
        adding = self.instance._state.adding
        changes = self.model_changes()
        if not adding and not changes:
            return  # nothing that needs a trace
        reason, force = self.cleaned_data["reason"], self.cleaned_data.get("force", False)
        try:
            if adding:
                self.change = self.audited.create_action(self.instance, acting_user=self.acting_user, reason=reason)
            else:
                self.change = self.audited.edit_action(self.instance, changes, acting_user=self.acting_user,
                                                       reason=reason, **({"force": force} if "force" in self.fields else {}))
        except (ClientError, PermissionDenied) as exc:
            self.add_error(*error_target(self, str(exc)))
            return
        self.instance.pk = self.change.object_id
        self.instance._state.adding = False


class ForceableAuditedForm(AuditedForm):
    force = forms.BooleanField(required=False, label="Force (skip the live probe)",
                               help_text="Only where the change would be probed: a model that serves a slot.")


def error_target(form: forms.Form, message: str) -> tuple[str | None, str]:
    """Put a refusal that starts with a field's name ("rules: …") on that field."""
    name, _, rest = message.partition(": ")
    return (name, rest) if rest and name in form.fields else (None, message)


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose adds, edits and deletes are audited catalog actions (set each action
    with staticmethod, so that it is not bound to the admin)."""

    form = AuditedForm
    edit_action: Edit
    create_action: Edit
    delete_action: Edit | None = None

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user, "audited": self})

    def save_model(self, request: HttpRequest, obj: models.Model, form: AuditedForm, change: bool) -> None:
        # The form's validation already saved it, with its audit row.
        if obj.pk is not None:
            obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        if self.delete_action is None:
            raise PermissionDenied("this object cannot be deleted")
        try:
            self.delete_action(obj, acting_user=request.user, reason=f"deleted in the admin by {request.user}")
        except ClientError as exc:
            self.message_user(request, f"Not deleted: {exc}", messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.delete_action is not None and super().has_delete_permission(request, obj)
