"""Rows every request reads and few requests change (the route's slots and policy, the active
plans, the API keys), kept in process memory and revalidated with a cheap version check.

Each copy has a version token in the shared cache (Redis, or the database cache). A process
re-reads the token at most every LOCAL_COPY_RECHECK_S (0.25 s) and reloads its copy when the
token changed, so a change reaches every process within that time, with no query at all on
the requests in between.

A change replaces the token (`changed`) in the same process at once, and:
- on the database cache, inside the writer's transaction, so the new token and the new rows
  commit together;
- again once the transaction commits, so that a process that reloaded in between (it read the
  new token from Redis, but the old rows) reloads once more.
The token is random rather than a counter: a transaction rolled back restores an earlier token,
which no process holds with newer rows.

LOCAL_COPY_RECHECK_S = 0 turns the copies off: every request reads the rows, as the in-process
tests do (they write rows around the product, and roll them back, with no signal).

Each app's `ready()` connects the models a copy is built from (`connect`: saves, deletes,
many-to-many changes). Writes that skip signals (`QuerySet.update`) must call `changed` themselves.

What requests compute from a copy (the plans as offers, their digest, the routes) is kept with
`Derived`: recomputed only when the copy's value is a new object, i.e. once per reload.
"""

import time
import uuid
from collections.abc import Callable
from typing import Generic, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

S = TypeVar("S")
T = TypeVar("T")
KEY_PREFIX = "local-copy:"
_copies: dict[str, "LocalCopy"] = {}


class LocalCopy(Generic[T]):
    def __init__(self, name: str, load: Callable[[], T]):
        self.name = name
        self.load = load
        self._value: T | None = None
        self._version: str | None = None
        self._checked_at = -float("inf")
        _copies[name] = self

    def get(self) -> T:
        if not settings.LOCAL_COPY_RECHECK_S:
            return self.load()
        if self._fresh():
            return self._value
        return self._refresh(cache.get(self.key))

    async def aget(self) -> T:
        if not settings.LOCAL_COPY_RECHECK_S:
            return await sync_to_async(self.load)()
        if self._fresh():
            return self._value
        version = await cache.aget(self.key)
        if self._value is not None and version == self._version:
            self._checked_at = time.monotonic()
            return self._value
        return await sync_to_async(self._refresh)(version)

    @property
    def key(self) -> str:
        return KEY_PREFIX + self.name

    def forget(self) -> None:
        self._value, self._version, self._checked_at = None, None, -float("inf")

    def _fresh(self) -> bool:
        return self._value is not None and time.monotonic() - self._checked_at < settings.LOCAL_COPY_RECHECK_S

    def _refresh(self, version: str | None) -> T:
        # The token is read before the rows: a change landing in between leaves an old token with
        # new rows, which the next check reloads; never new token with old rows.
        if self._value is None or version != self._version:
            self._value, self._version = self.load(), version
        self._checked_at = time.monotonic()
        return self._value


class Derived(Generic[S, T]):
    """`compute(source)`, kept until it is asked for with another source object: a copy's value
    is the same object for every request until the copy reloads (identity, never equality, is
    compared, so the check costs nothing). A plain pair, replaced whole: threads racing on it at
    worst compute the same value twice."""

    def __init__(self, compute: Callable[[S], T]):
        self.compute = compute
        self._pair: tuple[S, T] | None = None

    def __call__(self, source: S) -> T:
        pair = self._pair
        if pair is None or pair[0] is not source:
            pair = self._pair = (source, self.compute(source))
        return pair[1]


def changed(name: str) -> None:
    """The rows behind copy `name` changed: every process reloads it (this one at once)."""
    def new_token() -> None:
        cache.set(KEY_PREFIX + name, uuid.uuid4().hex, timeout=None)

    if name in _copies:
        _copies[name].forget()
    new_token()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(new_token)


def connect(name: str, *senders) -> None:
    """Mark copy `name` changed whenever one of `senders` (models, or many-to-many `through`
    models, such as a user's groups) is saved, deleted or changed."""
    def mark_changed(sender, **kwargs) -> None:
        changed(name)

    for sender in senders:
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(mark_changed, sender=sender, weak=False,
                           dispatch_uid=f"local-copy:{name}:{sender._meta.label}:{id(signal)}")


def forget_all() -> None:
    """Drop every copy of this process (tests: a rolled-back transaction sends no signal)."""
    for copy in _copies.values():
        copy.forget()
