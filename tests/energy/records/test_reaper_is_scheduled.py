import pytest
from django_q.models import Schedule


@pytest.mark.django_db
def test_it_schedules_the_stale_recommendation_reaper_every_five_minutes():
    schedule = Schedule.objects.get(func="energy.tasks.reap_stale_recommendations")

    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 5, -1)
