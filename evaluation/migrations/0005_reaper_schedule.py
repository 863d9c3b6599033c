"""Schedule the benchmark reaper with django-q2 (every minute)."""

from django.db import migrations

NAME = "reap benchmark units"


def create_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.get_or_create(
        name=NAME,
        defaults={"func": "evaluation.tasks.reap_benchmarks", "schedule_type": "I", "minutes": 1, "repeats": -1},
    )


def delete_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0004_benchmarks")]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
