from datetime import UTC, datetime

import pytest

from energy.llm.retry_after import parse_retry_after

NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("headers", "expected_s"),
    [
        ({"Retry-After": "30"}, 30.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"Retry-After": "Sun, 01 Jun 2025 12:00:45 GMT"}, 45.0),
        ({"Retry-After": "Sun, 01 Jun 2025 11:59:00 GMT"}, 0.0),
        ({"retry-after-ms": "250"}, 0.25),
        ({"Retry-After-Ms": "2000", "Retry-After": "9"}, 2.0),
        ({"retry-after-ms": "soon", "Retry-After": "9"}, 9.0),
        ({"Retry-After": "86400000"}, 86400000.0),
        ({"Retry-After": "-5"}, None),
        ({"retry-after-ms": "-5"}, None),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": ""}, None),
        ({"Retry-After": "nan"}, None),
        ({"Retry-After": "1e999"}, None),
        ({}, None),
    ],
)
def test_it_reads_seconds_dates_and_milliseconds(headers, expected_s):
    assert parse_retry_after(headers, now=NOW) == expected_s
