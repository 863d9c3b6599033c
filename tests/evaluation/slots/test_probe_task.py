"""The scheduled live probe of every slot's models."""

import pytest
from django_q.models import Schedule

from evaluation import tasks
from evaluation.models import ModelProbe
from evaluation.slots.actions import start_canary
from evaluation.slots.health import PROBE_SCHEDULE_NAME


@pytest.mark.django_db
def test_it_probes_the_champion_and_the_challenger_of_every_slot(slots, rules_b, operator):
    start_canary("fast", rules_b, 20, acting_user=operator, reason="try b")
    ModelProbe.objects.all().delete()  # the canary's own pre-check

    probed = tasks.probe_slots()

    assert probed == 3
    assert sorted(ModelProbe.objects.values_list("slot_name", "model__key", "ok")) == [
        ("accurate", "builtin/rules", True),
        ("fast", "test/rules-a", True),
        ("fast", "test/rules-b", True),
    ]
    assert all(probe.latency_ms is not None for probe in ModelProbe.objects.all())


@pytest.mark.django_db
def test_it_schedules_the_slot_probe_every_minute():
    schedule = Schedule.objects.get(func="evaluation.tasks.probe_slots")

    assert schedule.name == PROBE_SCHEDULE_NAME
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 1, -1)
