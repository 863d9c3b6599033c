"""Schedule the collection of live recommendations into rating items (every minute), so that no
GET request writes them."""

from django.db import migrations

NAME = "collect live rating items"


def create_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.get_or_create(
        name=NAME,
        defaults={"func": "evaluation.tasks.collect_rating_items", "schedule_type": "I", "minutes": 1, "repeats": -1},
    )


def delete_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0011_provider_kind_engine")]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
