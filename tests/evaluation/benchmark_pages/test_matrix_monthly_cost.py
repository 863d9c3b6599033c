import re
from decimal import Decimal

import pytest


@pytest.mark.django_db
def test_it_projects_cost_per_recommendation_times_requests_per_day_times_30(staff_client, finished_run):
    # The rules engine costs nothing; give its units a price to make the arithmetic visible.
    finished_run.units.update(cost_usd=Decimal("0.00125"))

    response = staff_client.get(f"/admin/benchmarks/matrix/?run={finished_run.pk}&requests_per_day=2500")

    html = response.content.decode()
    monthly = re.findall(r'<td class="num monthly-cost">([^<]+)</td>', html)
    assert monthly == ["$93.75", "$93.75"]  # 0.00125 × 2500 × 30
    assert "monthly cost at 2500 requests per day" in html
    # The cost tier puts builtin/rules in its accurate slot; the run measured it on its own.
    assert re.search(r'accurate → builtin/rules: <strong class="tier-cost">\$93\.75</strong>', html)
