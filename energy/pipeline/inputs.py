"""What the pipeline is asked, already validated and resolved (no ORM objects)."""

from dataclasses import dataclass
from decimal import Decimal

from energy.tariffs import PlanTerms

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


@dataclass(frozen=True)
class PlanOffer:
    id: int
    provider: str
    name: str
    terms: PlanTerms
    renewable_pct: int
    contract_months: int
    early_termination_fee: Decimal


@dataclass(frozen=True)
class Preferences:
    max_monthly_budget: Decimal | None = None
    prefer_renewable: bool = False
    min_renewable_pct: int | None = None
    max_contract_months: int | None = None


@dataclass(frozen=True)
class RecommendationInputs:
    monthly_usage_kwh: tuple[Decimal, ...]
    plans: tuple[PlanOffer, ...]
    preferences: Preferences = Preferences()
    current_terms: PlanTerms | None = None
    top_n: int = 3
    mode: str = "fast"
