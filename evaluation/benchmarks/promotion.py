"""Promotion of a benchmarked model into a slot from the decision matrix: the gates first, then
evaluation.actions.switch_slot with a reason that names the run, the figures and any gate the
operator overrode, so the slot's audit row tells the whole story."""

from django.contrib.auth.models import AbstractBaseUser

from evaluation.benchmarks.aggregates import RouteFigures
from evaluation.benchmarks.gates import gate_failures
from evaluation.catalog.routes import UnknownModelError, get_model
from evaluation.figures import three_places
from evaluation.models import SlotChange
from evaluation.slots.actions import SwitchRefused, check_permission, switch_slot


class GatesFailed(SwitchRefused):
    title = "Promotion gates failed"


def figures_summary(figures: RouteFigures) -> str:
    latency = "no latency" if figures.latency is None else f"p95 {figures.latency.p95:.1f} ms (n={figures.latency.n})"
    validity = "—" if figures.json_validity_rate is None else three_places(figures.json_validity_rate)
    quality = "—" if figures.quality is None else three_places(figures.quality)
    return f"{latency}, JSON validity {validity}, quality {quality}"


def promotion_reason(reason: str, *, run_id: int, figures: RouteFigures, overridden: list[str]) -> str:
    lines = [reason.strip(), f"Promoted from benchmark run {run_id}: {figures_summary(figures)}."]
    if overridden:
        lines.append(f"Gates overridden: {'; '.join(overridden)}.")
    return "\n".join(lines)


def promote(figures: RouteFigures, *, run_id: int, slot_name: str, acting_user: AbstractBaseUser | None, reason: str,
            override_gates: bool) -> SlotChange:
    """Put the route's model into the slot if it passes the gates, or if the operator overrides
    them with a reason. Raises SwitchRefused (GatesFailed for the gates) when nothing changed."""
    check_permission(acting_user)
    if figures.single_model is None:
        raise SwitchRefused("only a route with one model for every stage can serve a slot")
    if not reason.strip():
        raise SwitchRefused("a reason is required")
    failures = gate_failures(figures)
    if failures and not override_gates:
        raise GatesFailed(f"{figures.single_model} fails the gates ({'; '.join(failures)}); "
                          "tick “override gates” and say why to promote it anyway")
    try:
        model = get_model(figures.single_model)
    except UnknownModelError as exc:
        raise SwitchRefused(str(exc)) from exc
    return switch_slot(slot_name, model, acting_user=acting_user,
                       reason=promotion_reason(reason, run_id=run_id, figures=figures, overridden=failures))
