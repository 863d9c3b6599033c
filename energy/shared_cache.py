"""The cache every process of one deployment shares when there is no Redis: Django's database
cache, in the app's own database, so that circuit breakers, provider pauses, the response cache
and the claims of identical requests in flight hold across uvicorn's workers and the cluster.

Django's database cache reads and writes a row at a time, which is not enough for what the
product builds on the cache:
- `add` is a claim (single flight, a breaker's probe): exactly one caller may win it, even over
  an expired row that two callers find at once;
- `incr` counts a breaker's outcomes: two processes counting at once must both be counted.
Both therefore run in a transaction that holds the row's lock (PostgreSQL's `SELECT … FOR
UPDATE`; on SQLite the IMMEDIATE transaction holds the database's write lock from its start).

Rows are culled by Django only past MAX_ENTRIES, a third at a time (CULL_FREQUENCY), expired ones
first; the settings keep that well above what the breakers and claims need.
"""

import base64
import pickle
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction

TABLE = "energy_shared_cache"


class SharedDatabaseCache(DatabaseCache):
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        with self._row_locked(key, version):
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None) -> int:
        """Two statements under the row's lock, where Django's (a get, then a set that counts the
        table for culling and looks the row up again) takes four: a breaker counts every call."""
        with self._row_locked(key, version):
            value = self.get(key, version=version)  # None when missing or expired
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            db = router.db_for_write(self.cache_model_class)
            quote = connections[db].ops.quote_name
            with connections[db].cursor() as cursor:
                cursor.execute(
                    f"UPDATE {quote(self._table)} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s",
                    [base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1"),
                     self.make_and_validate_key(key, version=version)],
                )
            return value

    @contextmanager
    def _row_locked(self, key, version) -> Iterator[None]:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                quote = connection.ops.quote_name
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT 1 FROM {quote(self._table)} WHERE {quote('cache_key')} = %s FOR UPDATE",
                        [self.make_and_validate_key(key, version=version)],
                    )
            yield
