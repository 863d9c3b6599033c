"""The cache every process of one deployment shares when there is no Redis: Django's database
cache, in the app's own database, so that circuit breakers, provider pauses, the response cache
and the claims of identical requests in flight hold across uvicorn's workers and the cluster.

Django's database cache reads and writes a row at a time, which is not enough for what the
product builds on the cache:
- `add` is a claim (single flight, a breaker's probe): exactly one caller may win it, even over
  an expired row that two callers find at once;
- `incr` counts a breaker's outcomes: two processes counting at once must both be counted;
- `update` reads, changes and writes an entry (an API key's rate-limit bucket): two processes
  updating it at once must both be counted.
All three therefore run in a transaction that holds the row's lock (PostgreSQL's `SELECT … FOR
UPDATE`; on SQLite the IMMEDIATE transaction holds the database's write lock from its start).
A row that does not exist yet has no lock to hold: of two first updates at once, one inserts the
row and the other makes its change again, on top.

Rows are culled by Django only past MAX_ENTRIES, a third at a time (CULL_FREQUENCY), expired ones
first; the settings keep that well above what the breakers and claims need.
"""

import base64
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction

TABLE = "energy_shared_cache"
Result = TypeVar("Result")
KEEP_EXPIRY = object()


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
            self._rewrite(key, value, version)
            return value

    def update(self, key, change: Callable[[Any], tuple[Any, Result]], timeout=DEFAULT_TIMEOUT,
               version=None) -> Result:
        """`change(value)` (None when missing or expired) returns the new value and what `update`
        returns; the entry is read and written under its row's lock, in two statements when it
        exists (Django's set takes three more)."""
        with self._row_locked(key, version):
            value, result = change(self.get(key, version=version))
            if self._rewrite(key, value, version, timeout=timeout):
                return result
            # No row yet, so no lock was held: the first entry is inserted only if no other
            # process inserted it meanwhile (Django's add, in a savepoint) ...
            if DatabaseCache.add(self, key, value, timeout, version):
                return result
        # ... else the change is made again, on top of theirs, under the row's lock this time.
        return self.update(key, change, timeout, version)

    def _rewrite(self, key, value, version, *, timeout=KEEP_EXPIRY) -> bool:
        """Overwrite an existing row's value (and its expiry, unless KEEP_EXPIRY); False when there is no row."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        assignments, parameters = [f"{quote('value')} = %s"], [
            base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")]
        if timeout is not KEEP_EXPIRY:
            expires_at = self.get_backend_timeout(timeout)
            expires = datetime.max if expires_at is None else datetime.fromtimestamp(expires_at, tz=UTC)
            assignments.append(f"{quote('expires')} = %s")
            parameters.append(connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0)))
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {quote(self._table)} SET {', '.join(assignments)} WHERE {quote('cache_key')} = %s",
                           [*parameters, self.make_and_validate_key(key, version=version)])
            return cursor.rowcount == 1

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
