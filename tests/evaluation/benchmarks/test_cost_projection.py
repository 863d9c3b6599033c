from decimal import Decimal

import pytest

from evaluation.benchmarks import execution
from evaluation.benchmarks.aggregates import DAYS_PER_MONTH, route_figures


@pytest.mark.django_db
def test_it_projects_the_monthly_cost_from_the_mean_cost_per_recommendation(run):
    execution.drive(run.pk)
    measured = list(run.units.filter(is_warmup=False).order_by("id"))
    costs = [Decimal("0.0009"), Decimal("0.0001"), Decimal("0.0001"), Decimal("0.0001")] * 4  # mean 0.0003, median 0.0001
    for unit, cost in zip(measured, costs, strict=True):
        unit.cost_usd = cost
        unit.stages["narrative"]["cost_usd"] = float(cost)
        unit.save(update_fields=["cost_usd", "stages"])

    [figures] = route_figures(run)

    assert figures.cost_per_recommendation == pytest.approx(0.0003)
    assert figures.stages["narrative"].cost_usd_mean == pytest.approx(0.0003)
    assert DAYS_PER_MONTH == 30
    assert figures.monthly_cost(10_000) == 90.0  # 0.0003 $ × 10,000 a day × 30 days
    assert figures.monthly_cost(250) == 2.25
    assert figures.as_dict(requests_per_day=10_000)["monthly_cost"] == {"requests_per_day": 10_000, "usd": 90.0}
