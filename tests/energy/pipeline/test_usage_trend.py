"""The trend compares the second half of the year with the first: ±5 % is stable."""

from decimal import Decimal

import pytest

from energy.pipeline.facts import usage_facts


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
