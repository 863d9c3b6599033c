"""Migration operations the apps share."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    """An index built with CREATE INDEX CONCURRENTLY on PostgreSQL, so that the rows written
    meanwhile (calls, probes, units) are never blocked on a large table; other databases build
    it plainly. Its migration must set `atomic = False`. If a concurrent build fails it leaves an
    INVALID index: drop it (DROP INDEX CONCURRENTLY <name>) and migrate again."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
