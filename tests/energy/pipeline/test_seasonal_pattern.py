"""A season whose average is more than 15 % above the year's average is a peak."""

from decimal import Decimal

import pytest

from energy.pipeline.facts import usage_facts

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
