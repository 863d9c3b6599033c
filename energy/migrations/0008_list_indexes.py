"""The index behind a model's live figures and the admin list of calls filtered by model.

On PostgreSQL it is built with CREATE INDEX CONCURRENTLY, so recording calls (an insert and an
update per provider call) is never blocked while it builds on a large table; that cannot run in a
transaction, hence atomic = False. If a concurrent build fails it leaves an INVALID index: drop it
(DROP INDEX CONCURRENTLY llmcall_model_started) and migrate again. Other databases build it plainly."""

from django.db import migrations, models

from energy.migration_operations import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("energy", "0007_shared_cache_table"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="llmcall",
            index=models.Index(fields=["model_key", "started_at"], name="llmcall_model_started"),
        ),
    ]
