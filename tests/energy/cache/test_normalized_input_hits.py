import json

import pytest

from tests.energy.api.payloads import USAGE, post_recommendation


@pytest.mark.django_db(transaction=True)
async def test_it_treats_the_same_input_written_differently_as_the_same(
    async_client, auth_headers, plans, rules_only_catalog, pipeline_runs,
):
    as_ints = {"monthly_usage_kwh": USAGE, "preferences": {"max_monthly_budget": 250, "prefer_renewable": False}}
    # Floats for ints, other key order, a budget with cents, and defaults spelled out.
    as_floats = ('{"preferences": {"prefer_renewable": false, "max_monthly_budget": "250.00"}, "top_n": 3, '
                 f'"mode": "fast", "monthly_usage_kwh": {json.dumps([float(kwh) for kwh in USAGE])}}}')

    first = (await post_recommendation(async_client, auth_headers, as_ints)).json()
    second = (await post_recommendation(async_client, auth_headers, as_floats)).json()

    assert second["metadata"]["cache"]["hit"] is True
    assert second["metadata"]["cache"]["key"] == first["metadata"]["cache"]["key"]
    assert len(pipeline_runs) == 1
