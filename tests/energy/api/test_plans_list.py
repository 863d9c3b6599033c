"""GET /plans: the active plans with every bill field, for a caller with a key."""

import pytest

from energy.models import Plan

# DESIGN.md: exactly these names, so that any client can recompute a bill.
PLAN_FIELDS = {"id", "provider", "name", "energy_rate_cents", "tiers", "base_fee", "tdu_fixed", "tdu_rate_cents",
               "bill_credit", "credit_min_kwh", "credit_max_kwh", "renewable_pct", "contract_months",
               "early_termination_fee"}


@pytest.mark.django_db(transaction=True)
async def test_it_lists_the_active_plans_with_every_bill_field(async_client, auth_headers, plans):
    await Plan.objects.filter(pk=plans["green"].pk).aupdate(active=False)

    response = await async_client.get("/api/v1/plans", headers=auth_headers)

    assert response.status_code == 200
    listed = {p["name"]: p for p in response.json()}
    assert set(listed) == {"Cheap 12", "Secure 36", "Two-Step 12", "Coastal Credit 6"}
    assert all(set(p) == PLAN_FIELDS for p in listed.values())
    credit = listed["Coastal Credit 6"]
    assert (credit["bill_credit"], credit["credit_min_kwh"], credit["credit_max_kwh"]) == ("100.00", "1000.00", "2000.00")
    assert listed["Two-Step 12"]["tiers"] == [{"up_to_kwh": 1000, "cents": "10.5"}, {"up_to_kwh": None, "cents": "14.5"}]


@pytest.mark.django_db(transaction=True)
async def test_it_does_not_list_plans_without_a_key(async_client, plans):
    response = await async_client.get("/api/v1/plans")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Cheap 12" not in response.content.decode()
