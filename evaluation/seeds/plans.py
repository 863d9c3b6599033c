"""Demo retail electricity plans, in the style of the Texas (ERCOT) retail market.

The providers are fictional. Energy rates, base fees, bill credits and early termination
fees are in the range of real Texas offers; the TDU delivery charges are typical of Texas
utilities (about $4.39 a month plus 4–5.6 ¢/kWh), not any utility's current tariff.

Keys are exactly the `energy.models.Plan` field names. Money and rates are strings so they
become exact Decimals; tiers are marginal (each rate applies to the kWh inside its band).
"""

from energy.models import Plan

# fmt: off
PLANS: list[dict] = [
    {
        "provider": "Bluebonnet Energy", "name": "Bluebonnet Saver 12",
        "energy_rate_cents": "8.4", "tiers": None, "base_fee": "0", "tdu_fixed": "4.39", "tdu_rate_cents": "4.5",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 6, "contract_months": 12, "early_termination_fee": "150",
    },
    {
        "provider": "Bluebonnet Energy", "name": "Bluebonnet Green 12",
        "energy_rate_cents": "8.9", "tiers": None, "base_fee": "0", "tdu_fixed": "4.39", "tdu_rate_cents": "4.5",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 100, "contract_months": 12, "early_termination_fee": "150",
    },
    {
        "provider": "Lone Star Power", "name": "Lone Star Simple Month-to-Month",
        "energy_rate_cents": "13.9", "tiers": None, "base_fee": "0", "tdu_fixed": "4.39", "tdu_rate_cents": "5.4776",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 0, "contract_months": 0, "early_termination_fee": "0",
    },
    {
        "provider": "Lone Star Power", "name": "Lone Star Secure 24",
        "energy_rate_cents": "10.1", "tiers": None, "base_fee": "4.95", "tdu_fixed": "4.39", "tdu_rate_cents": "5.4776",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 12, "contract_months": 24, "early_termination_fee": "240",
    },
    {
        "provider": "Lone Star Power", "name": "Lone Star Secure 36",
        "energy_rate_cents": "9.6", "tiers": None, "base_fee": "4.95", "tdu_fixed": "4.39", "tdu_rate_cents": "5.4776",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 12, "contract_months": 36, "early_termination_fee": "295",
    },
    {
        # The classic Texas bill-credit plan: cheap only inside the 1,000–2,000 kWh window.
        "provider": "Gulf Coast Electric", "name": "Coastal Credit 12",
        "energy_rate_cents": "14.8", "tiers": None, "base_fee": "9.95", "tdu_fixed": "4.39", "tdu_rate_cents": "5.4776",
        "bill_credit": "100", "credit_min_kwh": "1000", "credit_max_kwh": "2000",
        "renewable_pct": 10, "contract_months": 12, "early_termination_fee": "175",
    },
    {
        "provider": "Gulf Coast Electric", "name": "Coastal Credit 800+",
        "energy_rate_cents": "11.2", "tiers": None, "base_fee": "0", "tdu_fixed": "4.39", "tdu_rate_cents": "5.4776",
        "bill_credit": "50", "credit_min_kwh": "800", "credit_max_kwh": None,
        "renewable_pct": 10, "contract_months": 12, "early_termination_fee": "150",
    },
    {
        "provider": "Prairie Wind Power", "name": "Prairie Wind 100 Month-to-Month",
        "energy_rate_cents": "14.2", "tiers": None, "base_fee": "0", "tdu_fixed": "4.39", "tdu_rate_cents": "4.0",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 100, "contract_months": 0, "early_termination_fee": "0",
    },
    {
        "provider": "Prairie Wind Power", "name": "Prairie Wind 100 Six",
        "energy_rate_cents": "11.9", "tiers": None, "base_fee": "5", "tdu_fixed": "4.39", "tdu_rate_cents": "4.0",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 100, "contract_months": 6, "early_termination_fee": "75",
    },
    {
        "provider": "Prairie Wind Power", "name": "Prairie Wind 100 Thirty-Six",
        "energy_rate_cents": "9.3", "tiers": None, "base_fee": "0", "tdu_fixed": "4.39", "tdu_rate_cents": "4.0",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 100, "contract_months": 36, "early_termination_fee": "295",
    },
    {
        "provider": "Pecan Street Energy", "name": "Two-Step 12",
        "energy_rate_cents": None,
        "tiers": [{"up_to_kwh": 1000, "cents": "10.5"}, {"up_to_kwh": None, "cents": "14.5"}],
        "base_fee": "0", "tdu_fixed": "4.39", "tdu_rate_cents": "4.8",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 20, "contract_months": 12, "early_termination_fee": "150",
    },
    {
        # Rewards small homes: the first 500 kWh are cheap, big summers are not.
        "provider": "Pecan Street Energy", "name": "Small Home Tiered 12",
        "energy_rate_cents": None,
        "tiers": [
            {"up_to_kwh": 500, "cents": "8.9"},
            {"up_to_kwh": 1000, "cents": "12.4"},
            {"up_to_kwh": None, "cents": "16.5"},
        ],
        "base_fee": "0", "tdu_fixed": "4.39", "tdu_rate_cents": "4.8",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 20, "contract_months": 12, "early_termination_fee": "150",
    },
    {
        "provider": "Alamo City Power", "name": "Alamo Value 18",
        "energy_rate_cents": "9.4", "tiers": None, "base_fee": "9.95", "tdu_fixed": "4.39", "tdu_rate_cents": "5.2",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 0, "contract_months": 18, "early_termination_fee": "180",
    },
    {
        # Declining tiers: the kWh above 1,000 are cheaper, for large homes.
        "provider": "Alamo City Power", "name": "Alamo Big Home 24",
        "energy_rate_cents": None,
        "tiers": [{"up_to_kwh": 1000, "cents": "12.9"}, {"up_to_kwh": None, "cents": "9.9"}],
        "base_fee": "9.95", "tdu_fixed": "4.39", "tdu_rate_cents": "5.2",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 0, "contract_months": 24, "early_termination_fee": "240",
    },
    {
        "provider": "Big Thicket Energy", "name": "Summer Shield 12",
        "energy_rate_cents": "10.2", "tiers": None, "base_fee": "4.95", "tdu_fixed": "4.39", "tdu_rate_cents": "4.8",
        "bill_credit": "35", "credit_min_kwh": "1000", "credit_max_kwh": None,
        "renewable_pct": 25, "contract_months": 12, "early_termination_fee": "120",
    },
    {
        "provider": "Sunbelt Solar Energy", "name": "Sunbelt Solar 12",
        "energy_rate_cents": "12.8", "tiers": None, "base_fee": "0", "tdu_fixed": "4.39", "tdu_rate_cents": "4.8",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 100, "contract_months": 12, "early_termination_fee": "150",
    },
    {
        "provider": "Sunbelt Solar Energy", "name": "Sunbelt Solar Flex",
        "energy_rate_cents": "15.9", "tiers": None, "base_fee": "0", "tdu_fixed": "4.39", "tdu_rate_cents": "4.8",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 100, "contract_months": 0, "early_termination_fee": "0",
    },
    {
        "provider": "Red River Electric", "name": "Red River Fixed 3",
        "energy_rate_cents": "12.4", "tiers": None, "base_fee": "0", "tdu_fixed": "4.39", "tdu_rate_cents": "5.6",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 6, "contract_months": 3, "early_termination_fee": "50",
    },
    {
        "provider": "Red River Electric", "name": "Red River Concierge 12",
        "energy_rate_cents": "17.5", "tiers": None, "base_fee": "9.95", "tdu_fixed": "4.39", "tdu_rate_cents": "5.6",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 50, "contract_months": 12, "early_termination_fee": "195",
    },
    {
        "provider": "Hill Country Power", "name": "Hill Country Starter 6",
        "energy_rate_cents": None,
        "tiers": [{"up_to_kwh": 1200, "cents": "11.5"}, {"up_to_kwh": None, "cents": "13.9"}],
        "base_fee": "0", "tdu_fixed": "4.39", "tdu_rate_cents": "4.2",
        "bill_credit": "25", "credit_min_kwh": "1500", "credit_max_kwh": None,
        "renewable_pct": 15, "contract_months": 6, "early_termination_fee": "100",
    },
    {
        "provider": "Hill Country Power", "name": "Hill Country Large Home 24",
        "energy_rate_cents": "13.5", "tiers": None, "base_fee": "4.95", "tdu_fixed": "4.39", "tdu_rate_cents": "4.2",
        "bill_credit": "125", "credit_min_kwh": "2000", "credit_max_kwh": None,
        "renewable_pct": 15, "contract_months": 24, "early_termination_fee": "200",
    },
    {
        "provider": "Panhandle Wind Co.", "name": "Panhandle Half Wind 12",
        "energy_rate_cents": "11.8", "tiers": None, "base_fee": "3", "tdu_fixed": "4.39", "tdu_rate_cents": "4.0",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 50, "contract_months": 12, "early_termination_fee": "150",
    },
    {
        "provider": "Trinity Power & Light", "name": "Trinity Budget 9",
        "energy_rate_cents": "8.0", "tiers": None, "base_fee": "9.95", "tdu_fixed": "4.39", "tdu_rate_cents": "4.2",
        "bill_credit": "0", "credit_min_kwh": "0", "credit_max_kwh": None,
        "renewable_pct": 0, "contract_months": 9, "early_termination_fee": "135",
    },
]
# fmt: on


def seed_plans() -> int:
    """Create the plans that are missing; return how many were created. Existing plans are
    left as they are, so an operator's edits survive a re-seed."""
    created_count = 0
    for data in PLANS:
        fields = dict(data)
        provider, name = fields.pop("provider"), fields.pop("name")
        _, created = Plan.objects.get_or_create(provider=provider, name=name, defaults=fields)
        created_count += created
    return created_count
