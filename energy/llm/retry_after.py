"""How long a provider asked us to wait before retrying, read from its response headers."""

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def parse_retry_after(headers: Mapping[str, str], *, now: datetime | None = None) -> float | None:
    """Seconds to wait, from `retry-after-ms` (OpenAI's, more precise) or `Retry-After`
    (delay-seconds or an HTTP-date). None when absent or unusable; capping is the caller's job."""
    by_name = {name.lower(): value for name, value in headers.items()}
    milliseconds = _non_negative_number(by_name.get("retry-after-ms"))
    if milliseconds is not None:
        return milliseconds / 1000
    value = by_name.get("retry-after")
    if value is None:
        return None
    seconds = _non_negative_number(value)
    if seconds is not None:
        return seconds
    return _seconds_until(value, now or datetime.now(UTC))


def _non_negative_number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    # float() also accepts "nan" and "inf", which no sleep can honour.
    if not math.isfinite(number) or number < 0:
        return None
    return number


def _seconds_until(http_date: str, now: datetime) -> float | None:
    try:
        moment = parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        # RFC 9110 dates are always GMT; "-0000" parses as naive.
        moment = moment.replace(tzinfo=UTC)
    # A date already past means "retry now", not "unknown".
    return max(0.0, (moment - now).total_seconds())
