"""A covering index for the share of answers served from the response cache (the switchboard)."""

from django.db import migrations, models

from energy.migration_operations import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("energy", "0008_list_indexes"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="recommendation",
            index=models.Index(fields=["status", "created_at", "cache_hit"], name="recommendation_answered"),
        ),
    ]
