"""The usage statistics every stage is grounded on: total, average, peak and lowest month."""

from decimal import Decimal

from energy.pipeline.facts import usage_facts
from tests.energy.pipeline.conftest import USAGE


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
