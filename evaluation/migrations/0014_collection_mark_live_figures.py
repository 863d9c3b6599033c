"""Issue 12: the high-water mark of the live rating-item collection, and the roll-up of the
switchboard's live figures in 5-minute buckets, with its schedule (every minute)."""

from django.db import migrations, models

ROLL_UP = "roll up live figures"


def create_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.get_or_create(
        name=ROLL_UP,
        defaults={"func": "evaluation.tasks.roll_up_live_figures", "schedule_type": "I", "minutes": 1, "repeats": -1},
    )


def delete_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=ROLL_UP).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0013_catalogchange")]

    operations = [
        migrations.CreateModel(
            name="RatingCollectionMark",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50, unique=True)),
                ("created_at", models.DateTimeField(blank=True, help_text="created_at of the last recommendation considered", null=True)),
                ("recommendation_id", models.UUIDField(blank=True, help_text="id of the last recommendation considered", null=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.CreateModel(
            name="LiveFigureBucket",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("model_key", models.CharField(max_length=200)),
                ("start", models.DateTimeField(help_text="Start of the bucket (UTC)")),
                ("finished", models.PositiveIntegerField(default=0, help_text="Finished live calls")),
                ("failed", models.PositiveIntegerField(default=0, help_text="Failed, timed-out and incomplete live calls")),
                ("cost_usd", models.DecimalField(decimal_places=8, default=0, max_digits=16)),
                ("recommendations", models.PositiveIntegerField(default=0, help_text="Recommendations that called the model")),
                ("stages_passed", models.PositiveIntegerField(default=0)),
                ("stages_failed", models.PositiveIntegerField(default=0)),
                ("rolled_up_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "indexes": [models.Index(fields=["start"], name="live_figure_bucket_start_idx")],
                "constraints": [models.UniqueConstraint(fields=("model_key", "start"), name="one_live_figure_row_per_model_bucket")],
            },
        ),
        migrations.RunPython(create_schedule, delete_schedule),
    ]
