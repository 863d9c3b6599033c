"""Indexes for the lists that filter on one column and sort or range on another: a model's latest
probe, a slot's latest change, the runs newest first, a run's units by status, a rater's latest
ratings.

On PostgreSQL they are built with CREATE INDEX CONCURRENTLY, so the probes, benchmark units and
ratings written meanwhile are never blocked on a large table; that cannot run in a transaction,
hence atomic = False. If a concurrent build fails it leaves an INVALID index: drop it (DROP INDEX
CONCURRENTLY <name>) and migrate again. Other databases build them plainly."""

from django.conf import settings
from django.db import migrations, models

from energy.migration_operations import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("evaluation", "0014_collection_mark_live_figures"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="benchmarkrun",
            index=models.Index(fields=["-created_at", "-id"], name="benchmarkrun_newest"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="benchmarkunit",
            index=models.Index(fields=["run", "status"], name="benchmarkunit_run_status"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="modelprobe",
            index=models.Index(fields=["model", "-created_at", "-id"], name="modelprobe_model_latest"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="qualityrating",
            index=models.Index(fields=["rater", "-updated_at", "-id"], name="qualityrating_rater_latest"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="slotchange",
            index=models.Index(fields=["slot", "-created_at", "-id"], name="slotchange_slot_latest"),
        ),
    ]
