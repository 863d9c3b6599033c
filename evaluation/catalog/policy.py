"""How a stored routing policy is read: the one interpretation both sides use.

Serving (routes.active_route) reads the policy through `read_policy` on every request, and the
audited edit (slots.routing.edit_policy) refuses what `read_policy` refuses. So a policy that
could be stored can always be applied; one written around the action (straight into the
database) is caught at request time, where serving falls back to the default policy.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from energy.llm.base import STAGES
from energy.problems import ClientError

MODES = ("fast", "accurate")
SIGNALS = ("eligible_plans", "prompt_tokens")
# Slots tried after a stage's own slot, per mode, unless the routing policy says otherwise.
DEFAULT_FALLBACK_SLOTS = {"fast": ["accurate"], "accurate": []}


class PolicyInvalid(ClientError, ValueError):
    """The policy cannot be applied; `field` names the policy field at fault."""

    title = "Routing policy refused"

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


@dataclass(frozen=True)
class RuleSpec:
    stage: str
    signal: str
    above: float
    slot: str


@dataclass(frozen=True)
class PolicySpec:
    """A policy as serving applies it, every value checked."""

    stage_slots: dict[str, dict[str, str]] = field(default_factory=dict)
    fallback_slots: dict[str, list[str]] = field(default_factory=dict)
    rules: tuple[RuleSpec, ...] = ()
    degrade_to_rules: bool = True

    def fallback(self, mode: str) -> list[str]:
        return list(self.fallback_slots.get(mode, DEFAULT_FALLBACK_SLOTS.get(mode, [])))

    def stage_slot(self, mode: str, stage: str) -> str:
        return self.stage_slots.get(mode, {}).get(stage, mode)


DEFAULT_POLICY = PolicySpec()


def _slot(value: Any, where: str, field_name: str, known_slots: Collection[str] | None) -> str:
    if not isinstance(value, str) or not value:
        raise PolicyInvalid(field_name, f"{where} must be a slot name, not {value!r}")
    if known_slots is not None and value not in known_slots:
        raise PolicyInvalid(field_name, f"{where} names the slot {value!r}, which does not exist "
                                        f"(slots: {', '.join(sorted(known_slots))})")
    return value


def _mode(value: Any, field_name: str) -> str:
    if value not in MODES:
        raise PolicyInvalid(field_name, f"unknown mode {value!r} (modes: {', '.join(MODES)})")
    return value


def read_stage_slots(value: Any, known_slots: Collection[str] | None = None) -> dict[str, dict[str, str]]:
    if not isinstance(value, Mapping):
        raise PolicyInvalid("stage_slots", 'must be an object per mode, e.g. {"fast": {"narrative": "accurate"}}')
    result = {}
    for mode, stages in value.items():
        _mode(mode, "stage_slots")
        if not isinstance(stages, Mapping):
            raise PolicyInvalid("stage_slots", f"{mode} must be an object of stage → slot")
        for stage in stages:
            if stage not in STAGES:
                raise PolicyInvalid("stage_slots", f"unknown stage {stage!r} in {mode} (stages: {', '.join(STAGES)})")
        result[mode] = {stage: _slot(slot, f"{mode}.{stage}", "stage_slots", known_slots) for stage, slot in stages.items()}
    return result


def read_fallback_slots(value: Any, known_slots: Collection[str] | None = None) -> dict[str, list[str]]:
    if not isinstance(value, Mapping):
        raise PolicyInvalid("fallback_slots", 'must be an object per mode, e.g. {"fast": ["accurate"]}')
    result = {}
    for mode, slots in value.items():
        _mode(mode, "fallback_slots")
        if not isinstance(slots, list):
            raise PolicyInvalid("fallback_slots", f"{mode} must be a list of slot names")
        result[mode] = [_slot(slot, f"{mode}[{i}]", "fallback_slots", known_slots) for i, slot in enumerate(slots)]
    return result


def read_rule(value: Any, index: int, known_slots: Collection[str] | None = None) -> RuleSpec:
    where = f"rule {index + 1}"
    if not isinstance(value, Mapping):
        raise PolicyInvalid("rules", f'{where} must be an object like {{"stage": "plan_scoring", '
                                     f'"signal": "eligible_plans", "above": 8, "slot": "accurate"}}')
    missing = [key for key in ("stage", "signal", "above", "slot") if key not in value]
    if missing:
        raise PolicyInvalid("rules", f"{where} lacks {', '.join(missing)}")
    unknown = sorted(set(value) - {"stage", "signal", "above", "slot"})
    if unknown:
        raise PolicyInvalid("rules", f"{where} has unknown keys {', '.join(unknown)}")
    if value["stage"] != "*" and value["stage"] not in STAGES:
        raise PolicyInvalid("rules", f"{where}: unknown stage {value['stage']!r} (stages: {', '.join(STAGES)}, or *)")
    if value["signal"] not in SIGNALS:
        raise PolicyInvalid("rules", f"{where}: unknown signal {value['signal']!r} (signals: {', '.join(SIGNALS)})")
    above = value["above"]
    if isinstance(above, bool) or not isinstance(above, int | float):
        raise PolicyInvalid("rules", f"{where}: above must be a number, not {above!r}")
    return RuleSpec(stage=value["stage"], signal=value["signal"], above=float(above),
                    slot=_slot(value["slot"], f"{where}'s slot", "rules", known_slots))


def read_rules(value: Any, known_slots: Collection[str] | None = None) -> tuple[RuleSpec, ...]:
    if not isinstance(value, list):
        raise PolicyInvalid("rules", "must be a list of rules")
    return tuple(read_rule(rule, index, known_slots) for index, rule in enumerate(value))


def read_policy(*, stage_slots: Any, fallback_slots: Any, rules: Any, degrade_to_rules: Any,
                known_slots: Collection[str] | None = None) -> PolicySpec:
    """The policy as serving applies it, or PolicyInvalid naming the field. `known_slots`, when
    given, also refuses slot names that do not exist (serving skips those silently)."""
    if not isinstance(degrade_to_rules, bool):
        raise PolicyInvalid("degrade_to_rules", "must be true or false")
    return PolicySpec(stage_slots=read_stage_slots(stage_slots, known_slots),
                      fallback_slots=read_fallback_slots(fallback_slots, known_slots),
                      rules=read_rules(rules, known_slots), degrade_to_rules=degrade_to_rules)


def read_stored(routing, known_slots: Collection[str] | None = None) -> PolicySpec:
    """A RoutingPolicy row (or an unsaved candidate) as serving applies it."""
    return read_policy(stage_slots=routing.stage_slots, fallback_slots=routing.fallback_slots, rules=routing.rules,
                       degrade_to_rules=routing.degrade_to_rules, known_slots=known_slots)
