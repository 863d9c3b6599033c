"""What the switchboard shows: per slot its model's health and live figures, the model a
rollback would restore, the running canary's comparison and the tiers (the audit trail is slots.changes)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from energy.calls import REMOTE_KINDS
from energy.llm.breaker import CircuitBreaker
from energy.llm.scopes import LIVE
from evaluation.figures import Percentiles, Share
from evaluation.models import AIModel, ModelProbe, Slot
from evaluation.slots import live_stats
from evaluation.slots.actions import rollback_target
from evaluation.slots.health import latest_probe, probe_age_s

LIVE_WINDOW_HOURS = 24
LIVE_WINDOW = timedelta(hours=LIVE_WINDOW_HOURS)
# Changes that never moved the slot's champion, so a rollback skips them (as rollback_slot does).


def age_label(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit} ago"
    return f"{max(int(seconds), 0)} s ago"


@dataclass(frozen=True)
class Health:
    probe: ModelProbe | None
    age_s: float | None

    @property
    def age(self) -> str:
        return age_label(self.age_s)


@dataclass(frozen=True)
class ModelCard:
    """A model with the figures an operator compares before switching."""

    model: AIModel
    health: Health
    figures: live_stats.LiveFigures
    breaker: str | None  # closed / open / half_open; None for models without a breaker (local, rules)


@dataclass(frozen=True)
class CanaryArm:
    model: AIModel
    latency: Percentiles | None
    errors: Share
    quality: Share


@dataclass(frozen=True)
class Canary:
    share: int
    started_at: datetime
    champion: CanaryArm
    challenger: CanaryArm

    @property
    def arms(self) -> tuple[tuple[str, CanaryArm], ...]:
        return ("champion", self.champion), ("challenger", self.challenger)


@dataclass(frozen=True)
class SlotPanel:
    slot: Slot
    card: ModelCard
    rollback_to: AIModel | None
    canary: Canary | None


def health(model: AIModel) -> Health:
    probe = latest_probe(model.pk)
    return Health(probe=probe, age_s=probe_age_s(probe))


def memoized(memo: dict | None, function: Callable, *args):
    """`function(*args)`, computed once per render when the render passes a memo (two slots on
    one model, or a canary's champion, read the same figures)."""
    if memo is None:
        return function(*args)
    key = (function.__name__, *args)
    if key not in memo:
        memo[key] = function(*args)
    return memo[key]


def model_card(model: AIModel, *, now: datetime, memo: dict | None = None) -> ModelCard:
    figures = memoized(memo, live_stats.live_figures, model.key, now - LIVE_WINDOW)
    return ModelCard(model=model, health=memoized(memo, health, model), figures=figures,
                     breaker=memoized(memo, breaker_state, model))


def breaker_state(model: AIModel) -> str | None:
    """The live breaker: the switchboard is about serving, which a benchmark's breaker never stops."""
    return CircuitBreaker(scope=LIVE).state_name(model.key) if model.provider.kind in REMOTE_KINDS else None


def cache_hit_ratio(*, now: datetime | None = None) -> Share:
    return live_stats.cache_hits((now or timezone.now()) - LIVE_WINDOW)


def canary_arm(model: AIModel, since: datetime, memo: dict | None = None) -> CanaryArm:
    counted = memoized(memo, live_stats.tally, model.key, since)
    return CanaryArm(model=model, latency=memoized(memo, live_stats.latency, model.key, since),
                     errors=live_stats.errors_of(counted), quality=live_stats.quality_of(counted))


def canary(slot: Slot, memo: dict | None = None) -> Canary | None:
    if slot.challenger is None or slot.canary_started_at is None:
        return None
    since = slot.canary_started_at
    return Canary(share=slot.challenger_share, started_at=since,
                  champion=canary_arm(slot.model, since, memo), challenger=canary_arm(slot.challenger, since, memo))


def slot_panels(*, now: datetime | None = None) -> list[SlotPanel]:
    now = now or timezone.now()
    memo: dict = {}
    return [
        SlotPanel(slot=slot, card=model_card(slot.model, now=now, memo=memo), rollback_to=rollback_target(slot.name),
                  canary=canary(slot, memo))
        for slot in Slot.objects.select_related("model__provider", "challenger__provider")
    ]
