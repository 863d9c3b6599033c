"""The usage facts every stage is grounded on: statistics, trend and seasonal pattern."""

from decimal import Decimal

import pytest

from energy.pipeline.facts import usage_facts
from tests.energy.pipeline.conftest import USAGE


# The usage statistics every stage is grounded on: total, average, peak and lowest month.
def test_it_totals_and_averages_the_twelve_months():
    usage = usage_facts(USAGE)
    assert usage.total_kwh == 13700
    assert usage.average_monthly_kwh == 1141.67  # 13,700 / 12, rounded to 2 places


def test_it_names_the_peak_and_the_lowest_month():
    usage = usage_facts(USAGE)
    assert (usage.peak_month, usage.peak_kwh) == ("July", 1700)
    assert (usage.lowest_month, usage.lowest_kwh) == ("November", 800)


def test_it_names_the_first_of_equal_months():
    usage = usage_facts(tuple(Decimal(u) for u in (500, 900, 900, 500, 500, 500, 500, 500, 500, 500, 500, 400)))
    assert usage.peak_month == "February"
    assert usage.lowest_month == "December"


def test_it_keeps_fractional_kwh():
    usage = usage_facts((Decimal("1000.25"),) * 12)
    assert usage.total_kwh == 12003
    assert usage.average_monthly_kwh == 1000.25
    assert usage.peak_kwh == 1000.25


# The trend compares the second half of the year with the first: ±5 % is stable.
@pytest.mark.parametrize(
    ("first_half", "second_half", "trend"),
    [
        (800, 1000, "rising"),
        (1000, 800, "falling"),
        (1000, 1040, "stable"),  # 4 % up
        (1000, 960, "stable"),  # 4 % down
        (1000, 1060, "rising"),  # 6 % up
        (1000, 940, "falling"),  # 6 % down
    ],
)
def test_it_recognises_the_trend(first_half, second_half, trend):
    usage = tuple(Decimal(first_half) for _ in range(6)) + tuple(Decimal(second_half) for _ in range(6))
    assert usage_facts(usage).trend == trend


# A season whose average is more than 15 % above the year's average is a peak.
PROFILES = {
    # Jan … Dec
    "summer-peaking": (1200, 1100, 950, 900, 1000, 1550, 1700, 1600, 1050, 850, 800, 1000),
    "winter-peaking": (1700, 1600, 1000, 850, 800, 900, 950, 1000, 850, 900, 1100, 1550),
    "dual-peak": (1500, 1400, 800, 700, 800, 1400, 1600, 1500, 800, 700, 800, 1500),
    "flat": (1000, 1050, 1000, 950, 1000, 1100, 1100, 1100, 1000, 950, 1000, 1050),
}


@pytest.mark.parametrize(("pattern", "profile"), PROFILES.items())
def test_it_recognises_the_seasonal_pattern(pattern, profile):
    assert usage_facts(tuple(Decimal(u) for u in profile)).seasonal_pattern == pattern


@pytest.mark.parametrize(
    ("summer_kwh", "pattern"),
    [
        (1200, "flat"),  # 1,200 against a 1,050 kWh year: 14.3 % above
        (1250, "summer-peaking"),  # 1,250 against a 1,062.5 kWh year: 17.6 % above
    ],
)
def test_it_draws_the_line_at_15_percent(summer_kwh, pattern):
    profile = (1000,) * 5 + (summer_kwh,) * 3 + (1000,) * 4
    assert usage_facts(tuple(Decimal(u) for u in profile)).seasonal_pattern == pattern
