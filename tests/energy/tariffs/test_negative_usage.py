"""Negative usage is an input error, whatever its type."""

from decimal import Decimal

import pytest

from energy.tariffs import PlanTerms, annual_cost, monthly_bill

TERMS = PlanTerms(energy_rate_cents=Decimal("12"))


@pytest.mark.parametrize("usage", [Decimal("-1"), Decimal("-0.01"), -1, -0.5, "-0.01"])
def test_it_raises_value_error_for_negative_usage(usage):
    with pytest.raises(ValueError, match="negative"):
        monthly_bill(TERMS, usage)


def test_it_raises_value_error_when_any_month_is_negative():
    with pytest.raises(ValueError, match="negative"):
        annual_cost(TERMS, [100] * 11 + [-1])
