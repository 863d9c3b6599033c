"""Turn validated API input and catalog plans into the pipeline's plain inputs."""

from decimal import Decimal

from energy.local_copies import Derived, LocalCopy
from energy.models import Plan
from energy.pipeline.inputs import PlanOffer, Preferences, RecommendationInputs
from energy.schemas import RecommendationIn
from energy.tariffs import PlanTerms, to_decimal


class UnknownPlanError(LookupError):
    def __init__(self, plan_id: int):
        super().__init__(f"current_plan.plan_id: no plan with id {plan_id}")
        self.plan_id = plan_id


# The active plans, in id order; every process reloads them within a recheck of a plan edit.
ACTIVE_PLANS: LocalCopy[tuple[Plan, ...]] = LocalCopy("plans", lambda: tuple(Plan.objects.filter(active=True)))


def offer(plan: Plan) -> PlanOffer:
    return PlanOffer(
        id=plan.id, provider=plan.provider, name=plan.name, terms=plan.terms(),
        renewable_pct=plan.renewable_pct, contract_months=plan.contract_months,
        early_termination_fee=plan.early_termination_fee,
    )


# The active plans as offers: converted once per copy of the plans, not per request.
_offers: Derived[tuple[Plan, ...], tuple[PlanOffer, ...]] = Derived(lambda plans: tuple(offer(p) for p in plans))


def active_offers() -> tuple[PlanOffer, ...]:
    return _offers(ACTIVE_PLANS.get())


def build_inputs(payload: RecommendationIn, plans: tuple[PlanOffer, ...] | None = None) -> RecommendationInputs:
    """Over `plans`, by default the active ones; reads the current plan when given by id. Raises
    UnknownPlanError."""
    plans = active_offers() if plans is None else plans
    current_terms = None
    if payload.current_plan is not None:
        if payload.current_plan.plan_id is not None:
            plan = Plan.objects.filter(pk=payload.current_plan.plan_id).first()
            if plan is None:
                raise UnknownPlanError(payload.current_plan.plan_id)
            current_terms = plan.terms()
        else:
            current_terms = PlanTerms(energy_rate_cents=payload.current_plan.rate_cents, base_fee=payload.current_plan.base_fee)
    prefs = payload.preferences
    return RecommendationInputs(
        monthly_usage_kwh=tuple(to_decimal(u) for u in payload.monthly_usage_kwh),
        plans=plans,
        preferences=Preferences(
            max_monthly_budget=None if prefs.max_monthly_budget is None else Decimal(prefs.max_monthly_budget),
            prefer_renewable=prefs.prefer_renewable,
            min_renewable_pct=prefs.min_renewable_pct,
            max_contract_months=prefs.max_contract_months,
        ),
        current_terms=current_terms,
        top_n=payload.top_n,
        mode=payload.mode,
    )
