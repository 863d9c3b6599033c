"""A year of zero usage (an empty house) is unusual, not an error."""

from decimal import Decimal

from energy.pipeline.facts import compute_facts
from energy.pipeline.orchestrator import run_pipeline

ZERO_YEAR = (Decimal(0),) * 12


def test_it_describes_a_zero_year(inputs_for):
    usage = compute_facts(inputs_for(usage=ZERO_YEAR)).usage
    assert (usage.total_kwh, usage.average_monthly_kwh, usage.peak_kwh, usage.lowest_kwh) == (0, 0, 0, 0)
    assert usage.seasonal_pattern == "flat"
    assert usage.trend == "stable"


def test_it_prices_a_zero_year_at_the_fixed_fees(inputs_for, offers):
    facts = compute_facts(inputs_for(usage=ZERO_YEAR))
    # Cheap 12: (4.95 base + 4.39 TDU) × 12 months
    assert facts.by_id[offers["cheap"].id].annual_cost == Decimal("112.08")


async def test_it_recommends_for_a_zero_year(inputs_for, fake_model, route_of, rules_ref):
    result = await run_pipeline(inputs_for(usage=ZERO_YEAR), route=route_of(rules_ref), caller=fake_model)
    assert len(result.data["recommendations"]) == 3
    assert result.errors == []
    assert result.data["usage_summary"]["average_monthly_kwh"] == 0
