import uuid

from asgiref.sync import sync_to_async
from django.http import HttpRequest
from django.shortcuts import aget_object_or_404
from ninja import Router, Status

from energy import actions
from energy.models import Recommendation
from energy.schemas import ProblemOut, RecommendationAccepted, RecommendationIn, RecommendationOut, RecommendationStatusOut

router = Router(tags=["recommendations"])


def request_id_for(request: HttpRequest) -> str:
    """The caller's X-Request-ID when it is sane, so their logs and ours line up."""
    given = request.headers.get("X-Request-ID", "")
    return given if 0 < len(given) <= 64 and given.isprintable() else uuid.uuid4().hex


OUTAGE_EXAMPLE = {
    "type": "https://energygenius.example/problems/503", "title": "Recommendation failed", "status": 503,
    "detail": "recommendation 1f0c…e9 could not be produced: every model tried for a stage failed (remote/chat-mini); "
              "it is recorded as failed",
    "errors": [{"stage": "usage_summary", "model": "remote/chat-mini", "kind": "http_error",
                "message": "HTTP 500: overloaded"}],
}
SERVICE_UNAVAILABLE = {
    "description": "Every model tried for a stage failed (`errors` names each model and why, with `retry_after_s` "
                   "when the model said when it takes calls again: its circuit breaker is open or its provider "
                   "paused it), or the answer could not be recorded (title `Result not recorded`). The request is "
                   "recorded as failed; retry after `Retry-After` seconds.",
    "headers": {"Retry-After": {"description": "Seconds until the soonest of the failed models may answer again "
                                               "(1 to 3600; RETRY_AFTER_ON_OUTAGE_S when none said)",
                                "schema": {"type": "integer"}}},
    "content": {"application/json": {"example": OUTAGE_EXAMPLE}},
}


@router.post(
    "/recommendations",
    response={200: RecommendationOut, 202: RecommendationAccepted, 401: ProblemOut, 422: ProblemOut, 503: ProblemOut},
    summary="Recommend plans",
    description="With `wait=true` (default) the answer comes back in the response. With `wait=false` the request "
                "is queued and answered with 202 and an id to poll at GET /recommendations/{id}. An identical "
                "request (same input, route and catalog) within the cache TTL is answered from the response cache: "
                "`metadata.cache.hit` is true.",
    openapi_extra={"responses": {503: SERVICE_UNAVAILABLE}},
)
async def create_recommendation(request: HttpRequest, payload: RecommendationIn, wait: bool = True):
    if wait:
        return Status(200, await actions.recommend(payload, api_key_id=request.auth.pk, request_id=request_id_for(request)))
    queued = await sync_to_async(actions.queue_recommendation)(
        payload, api_key_id=request.auth.pk, request_id=request_id_for(request),
    )
    return Status(202, {"id": queued.pk, "status": queued.status, "status_url": f"/api/v1/recommendations/{queued.pk}"})


@router.get("/recommendations/{recommendation_id}", response={200: RecommendationStatusOut, 401: ProblemOut, 404: ProblemOut},
            summary="Status, per-stage progress and result of a recommendation")
async def get_recommendation(request: HttpRequest, recommendation_id: uuid.UUID):
    # A key sees only its own requests.
    recommendation = await aget_object_or_404(Recommendation, pk=recommendation_id, api_key=request.auth)
    return {
        "id": recommendation.pk,
        "status": recommendation.status,
        "mode": recommendation.mode,
        "progress": recommendation.progress,
        "created_at": recommendation.created_at,
        "started_at": recommendation.started_at,
        "finished_at": recommendation.finished_at,
        "errors": recommendation.errors,
        "result": recommendation.output,
    }
