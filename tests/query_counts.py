"""Counting the queries a page or an API list makes, to show that it does not grow with the rows
(tests/energy/records/test_list_query_counts.py, tests/evaluation/test_list_query_counts.py)."""

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# What a request with an API key spends on the key's rate-limit bucket (energy/rate_limits.py): on
# the database cache it is read and written under the row's lock, in a test's transaction a
# savepoint, the read, the write and the release, and on PostgreSQL the row's lock (SELECT … FOR
# UPDATE; SQLite's IMMEDIATE transaction locks without a statement). On Redis: none.
KEY_LIMITS = 5 if connection.vendor == "postgresql" else 4


def queries(client: Client, url: str, *, status: int = 200, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == status, response.content[:500]
    return len(captured), response


def measure(read: Callable[[], tuple[int, object]], grow: Callable[[], None],
            shown: Callable[[object], int] | None = None) -> tuple[int, int]:
    """(queries with the first rows, queries after `grow` added more); asserts the page shows more rows.
    Each count is a page's second read: the first fills the caches (content types, the leaderboard's fit, …)."""
    read()
    before, first = read()
    grow()
    read()
    after, second = read()
    if shown is not None:
        assert shown(second) > shown(first), "the rows added did not reach the page"
    return before, after


def assert_flat(before: int, after: int, ceiling: int) -> None:
    assert after == before, f"{before} queries with the first rows, {after} after adding more: an N+1"
    assert before <= ceiling, f"{before} queries, more than the {ceiling} allowed"
