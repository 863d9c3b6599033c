"""The table of the shared database cache (energy/shared_cache.py), created whatever CACHES says
today, so that a deployment that drops Redis later finds it there."""

from io import StringIO

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

from energy.shared_cache import TABLE


def create_table(apps, schema_editor):
    command = CreateCacheTable(stdout=StringIO())
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):

    dependencies = [
        ('energy', '0006_llmcall_queue_ms'),
    ]

    operations = [
        migrations.RunPython(create_table, drop_table),
    ]
