from decimal import Decimal

from energy.models import Plan
from energy.tariffs import monthly_bills

# A budget-conscious household: about 800 kWh a month, a little over 1,000 in summer.
MODERATE_USAGE = [700, 650, 600, 620, 720, 900, 1050, 1080, 880, 700, 640, 690]
LOW_USAGE = [420, 380, 350, 300, 320, 460, 490, 480, 410, 330, 310, 400]


def plans_within(budget: str, usage: list[int]) -> list[Plan]:
    """Plans whose every monthly bill is within the budget (DESIGN.md: "fits the budget")."""
    return [plan for plan in Plan.objects.all() if max(monthly_bills(plan.terms(), usage)) <= Decimal(budget)]
