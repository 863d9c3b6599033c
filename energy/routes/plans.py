from django.http import HttpRequest
from ninja import Router

from energy.offers import ACTIVE_PLANS
from energy.schemas import PlanOut

router = Router(tags=["plans"])


@router.get("/plans", response={200: list[PlanOut]},
            summary="Active plans, with every field needed to recompute a bill")
async def list_plans(request: HttpRequest):
    return list(await ACTIVE_PLANS.aget())
