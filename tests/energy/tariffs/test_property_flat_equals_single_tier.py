"""Property: a flat rate equals a single open-ended tier at the same ¢/kWh."""

from dataclasses import replace

from hypothesis import given

from energy.tariffs import Tier, energy_charge, monthly_bill

from .strategies import plans, usages


@given(flat=plans(pricing="flat"), usage=usages)
def test_it_bills_a_flat_rate_like_one_open_ended_tier(flat, usage):
    tiered = replace(flat, energy_rate_cents=None, tiers=(Tier(up_to_kwh=None, cents=flat.energy_rate_cents),))

    assert energy_charge(tiered, usage) == energy_charge(flat, usage)
    assert monthly_bill(tiered, usage) == monthly_bill(flat, usage)
