"""The switchboard: staff with view rights look, operators (evaluation.switch_slot) change.

Every POST is a change and answers 403 without the permission, before any input is read.
Outcomes are Django messages after a redirect back to the board; the one exception is the
switch preview, a page of its own between the form and the confirmed switch.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from energy.engine import state as engine_state
from evaluation.catalog.actions import EditRefused
from evaluation.models import AIModel, Slot, SlotChange, Tier
from evaluation.slots import board, changes
from evaluation.slots.actions import (
    SWITCH_PERMISSION,
    SwitchRefused,
    abort_canary,
    apply_tier,
    promote_canary,
    rollback_slot,
    start_canary,
    switch_slot,
)
from evaluation.slots.forms import CanaryForm, ForceableReasonForm, ReasonForm, RollbackForm, SwitchForm
from evaluation.web import form_problems, needs, page

VIEW_PERMISSION = "evaluation.view_slot"


def back_to_board() -> HttpResponse:
    return redirect("switchboard:board")


def carry_out(request: HttpRequest, label: str, action: Callable[[], SlotChange | list[SlotChange]]) -> HttpResponse:
    """Run one evaluation.slots.actions call, report its changes or its refusal, back to the board."""
    try:
        outcome = action()
    except SwitchRefused as exc:
        messages.error(request, f"{label} refused: {exc}")
        return back_to_board()
    changes = outcome if isinstance(outcome, list) else [outcome]
    for change in changes:
        report_change(request, change)
    if not changes:
        messages.info(request, f"{label}: nothing to change.")
    return back_to_board()


def report_invalid(request: HttpRequest, form) -> HttpResponse:
    messages.error(request, f"Nothing changed — {form_problems(form)}")
    return back_to_board()


def report_change(request: HttpRequest, change: SlotChange) -> None:
    messages.success(request, f"{change.slot.name}: {change.get_kind_display()} {change.from_model} → {change.to_model}.")


@dataclass(frozen=True)
class SlotForms:
    switch: SwitchForm
    rollback: RollbackForm
    canary: CanaryForm
    promote: ReasonForm
    abort: ReasonForm


def slot_forms(slot_name: str) -> SlotForms:
    # Several forms share field names on one page: distinct auto_ids keep their HTML ids apart.
    return SlotForms(
        switch=SwitchForm(auto_id=f"id_{slot_name}_switch_%s"),
        rollback=RollbackForm(auto_id=f"id_{slot_name}_rollback_%s"),
        canary=CanaryForm(auto_id=f"id_{slot_name}_canary_%s"),
        promote=ReasonForm(auto_id=f"id_{slot_name}_promote_%s"),
        abort=ReasonForm(auto_id=f"id_{slot_name}_abort_%s"),
    )


@require_GET
def board_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied(f"the switchboard needs the {VIEW_PERMISSION} permission")
    can_switch = request.user.has_perm(SWITCH_PERMISSION)
    slots = [(panel, slot_forms(panel.slot.name) if can_switch else None) for panel in board.slot_panels()]
    tiers = [(tier, ForceableReasonForm(auto_id=f"id_tier{tier.pk}_%s") if can_switch else None)
             for tier in Tier.objects.all()]
    return page(
        request, "evaluation/switchboard/board.html", "Switchboard",
        slots=slots, tiers=tiers, changes=changes.recent_changes(), can_switch=can_switch,
        cache_hits=board.cache_hit_ratio(),
        live_window_hours=board.LIVE_WINDOW_HOURS, engine=engine_state.current_sync(),
    )


def switching_form(form_class: type[forms.Form]) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A switching POST: 403 without the permission (before any input is read), then the form;
    an invalid form changes nothing and goes back to the board, a valid one reaches the view."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @require_POST
        @needs(SWITCH_PERMISSION, to="switching")
        @functools.wraps(view)
        def checked(request: HttpRequest, **kwargs) -> HttpResponse:
            form = form_class(request.POST)
            if not form.is_valid():
                return report_invalid(request, form)
            return view(request, form, **kwargs)

        return checked

    return decorate


@switching_form(SwitchForm)
def switch_view(request: HttpRequest, form: SwitchForm, slot_name: str) -> HttpResponse:
    """First submit: a before/after preview. Confirmed (`confirm=yes`): the switch."""
    slot = get_object_or_404(Slot.objects.select_related("model__provider"), name=slot_name)
    candidate: AIModel = form.cleaned_data["model"]
    if request.POST.get("confirm") != "yes":
        now = timezone.now()
        return page(
            request, "evaluation/switchboard/preview.html", f"Switch {slot.name}?",
            slot=slot, form=form, before=board.model_card(slot.model, now=now), after=board.model_card(candidate, now=now),
            live_window_hours=board.LIVE_WINDOW_HOURS,
        )
    return carry_out(request, "Switch", lambda: switch_slot(
        slot.name, candidate, acting_user=request.user, reason=form.cleaned_data["reason"], force=form.cleaned_data["force"]))


@switching_form(RollbackForm)
def rollback_view(request: HttpRequest, form: RollbackForm, slot_name: str) -> HttpResponse:
    slot = get_object_or_404(Slot, name=slot_name)
    return carry_out(request, "Rollback",
                     lambda: rollback_slot(slot.name, acting_user=request.user, reason=form.cleaned_data["reason"]))


@switching_form(ForceableReasonForm)
def apply_tier_view(request: HttpRequest, form: ForceableReasonForm, tier_id: int) -> HttpResponse:
    tier = get_object_or_404(Tier, pk=tier_id)
    return carry_out(request, f"Tier {tier.name}", lambda: apply_tier(
        tier, acting_user=request.user, reason=form.cleaned_data["reason"], force=form.cleaned_data["force"]))


@switching_form(CanaryForm)
def start_canary_view(request: HttpRequest, form: CanaryForm, slot_name: str) -> HttpResponse:
    slot = get_object_or_404(Slot, name=slot_name)
    return carry_out(request, "Canary", lambda: start_canary(
        slot.name, form.cleaned_data["challenger"], form.cleaned_data["share"], acting_user=request.user,
        reason=form.cleaned_data["reason"], force=form.cleaned_data["force"]))


def end_canary(action: Callable[..., SlotChange]) -> Callable[..., HttpResponse]:
    """A view for promote or abort: both take the slot and a required reason."""

    @switching_form(ReasonForm)
    def view(request: HttpRequest, form: ReasonForm, slot_name: str) -> HttpResponse:
        slot = get_object_or_404(Slot, name=slot_name)
        return carry_out(request, "Canary", lambda: action(slot.name, acting_user=request.user,
                                                           reason=form.cleaned_data["reason"]))

    return view


promote_canary_view = end_canary(promote_canary)
abort_canary_view = end_canary(abort_canary)


@switching_form(ReasonForm)
def change_rollback_view(request: HttpRequest, form: ReasonForm, source: str, change_id: int) -> HttpResponse:
    """Undo one entry of the audit trail (a switch or a catalog edit) through its own action,
    which checks the permission the change itself needs."""
    change = changes.find_change(source, change_id)
    if change is None:
        raise Http404(f"no {source} change {change_id}")
    try:
        done = changes.rollback_change(change, acting_user=request.user, reason=form.cleaned_data["reason"])
    except (SwitchRefused, EditRefused) as exc:
        messages.error(request, f"Rollback refused: {exc}")
        return back_to_board()
    if isinstance(done, SlotChange):
        report_change(request, done)
    else:
        subject = changes.subject(done)
        messages.success(request, f"{subject[0].upper()}{subject[1:]} rolled back: {changes.summarise(done.before, done.after)}.")
    return back_to_board()
