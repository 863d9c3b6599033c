import pytest
from django_q.models import Schedule

from evaluation.slots.health import PROBE_SCHEDULE_NAME


@pytest.mark.django_db
def test_it_schedules_the_slot_probe_every_minute():
    schedule = Schedule.objects.get(func="evaluation.tasks.probe_slots")

    assert schedule.name == PROBE_SCHEDULE_NAME
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 1, -1)
