"""The demo benchmark suite: the seeds' five scenarios plus the edge cases."""

from evaluation.models import BenchmarkSuite, Scenario

SUITE_NAME = "standard"

# fmt: off
SCENARIOS = [
    {"name": "high-usage", "description": "Large home, over 2,000 kWh every month",
     "payload": {"monthly_usage_kwh": [2300, 2150, 2050, 2100, 2400, 2900, 3300, 3400, 2950, 2500, 2200, 2250],
                 "current_plan": {"rate_cents": 15.5, "base_fee": 9.95}}},
    {"name": "low-seasonal", "description": "Apartment under 500 kWh with seasonal swings",
     "payload": {"monthly_usage_kwh": [420, 390, 330, 280, 300, 410, 480, 495, 400, 310, 330, 410],
                 "current_plan": {"rate_cents": 17.0, "base_fee": 4.95}}},
    {"name": "summer-high-winter-low", "description": "Air-conditioning peak in summer, mild winter",
     "payload": {"monthly_usage_kwh": [700, 650, 600, 700, 1000, 1600, 2000, 2100, 1600, 1000, 700, 720],
                 "current_plan": {"rate_cents": 16.0, "base_fee": 9.95}}},
    {"name": "budget-conscious", "description": "Every monthly bill must stay under $150",
     "payload": {"monthly_usage_kwh": [800, 760, 700, 720, 850, 1000, 1100, 1120, 980, 820, 760, 790],
                 "preferences": {"max_monthly_budget": 150}}},
    {"name": "renewable-preference", "description": "Wants at least 50 % renewable, no long contract",
     "payload": {"monthly_usage_kwh": [950, 900, 850, 900, 1050, 1300, 1500, 1550, 1300, 1050, 920, 960],
                 "preferences": {"prefer_renewable": True, "min_renewable_pct": 50, "max_contract_months": 12}}},
    {"name": "flat-usage", "description": "The same 1,000 kWh every month",
     "payload": {"monthly_usage_kwh": [1000] * 12}},
    {"name": "extreme-usage", "description": "A small business at 9,000 kWh a month",
     "payload": {"monthly_usage_kwh": [8800, 8600, 8700, 8900, 9100, 9600, 9900, 9800, 9400, 9000, 8800, 8900]}},
    {"name": "zero-months", "description": "A vacation home, empty for four months",
     "payload": {"monthly_usage_kwh": [0, 0, 0, 0, 600, 900, 1100, 1200, 800, 500, 300, 400]}},
    {"name": "impossible-budget", "description": "A budget no plan can meet ($40 a month at 2,500 kWh)",
     "payload": {"monthly_usage_kwh": [2500] * 12, "preferences": {"max_monthly_budget": 40}}},
]
# fmt: on


def seed_benchmarks() -> int:
    """Create the suite and its missing scenarios; never change existing ones. Returns new scenarios."""
    suite, _ = BenchmarkSuite.objects.get_or_create(
        name=SUITE_NAME, defaults={"description": "The seeds' five scenarios plus edge cases"})
    return sum(Scenario.objects.get_or_create(suite=suite, name=s["name"], defaults=s)[1] for s in SCENARIOS)
