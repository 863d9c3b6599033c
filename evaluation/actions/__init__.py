"""Every write of the evaluation app, one module per concern. Views, admin actions, API
endpoints, commands and tasks call these and nothing else."""

from evaluation.actions.benchmarks import start_benchmark
from evaluation.actions.ratings import compare_pair, rate_result
from evaluation.actions.slots import (
    SWITCH_PERMISSION,
    SwitchRefused,
    abort_canary,
    apply_tier,
    check_permission,
    check_servable,
    last_switch,
    promote_canary,
    rollback_slot,
    rollback_target,
    slot_named,
    start_canary,
    switch_slot,
)

__all__ = [
    "SWITCH_PERMISSION",
    "SwitchRefused",
    "abort_canary",
    "apply_tier",
    "check_permission",
    "check_servable",
    "compare_pair",
    "last_switch",
    "promote_canary",
    "rate_result",
    "rollback_slot",
    "rollback_target",
    "slot_named",
    "start_benchmark",
    "start_canary",
    "switch_slot",
]
