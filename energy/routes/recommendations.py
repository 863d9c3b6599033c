import uuid

from asgiref.sync import sync_to_async
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import aget_object_or_404
from ninja import Router, Status

from energy import actions, recommendation_stream
from energy.auth import ApiKeyAuth
from energy.client_errors import answer_for_client, client_errors
from energy.metrics_middleware import MODE_ATTRIBUTE
from energy.models import Recommendation
from energy.negotiation import wants_event_stream
from energy.schemas import ProblemOut, RecommendationAccepted, RecommendationIn, RecommendationOut, RecommendationStatusOut

router = Router(tags=["recommendations"], auth=ApiKeyAuth("recommend"))


def request_id_for(request: HttpRequest) -> str:
    """The caller's X-Request-ID when it is sane, so their logs and ours line up."""
    given = request.headers.get("X-Request-ID", "")
    return given if 0 < len(given) <= 64 and given.isprintable() else uuid.uuid4().hex


OUTAGE_EXAMPLE = {
    "type": "https://energygenius.example/problems/503", "title": "Recommendation failed", "status": 503,
    "detail": "recommendation 1f0c…e9 could not be produced: every model tried for a stage failed (remote/chat-mini); "
              "it is recorded as failed",
    "errors": [{"stage": "usage_summary", "model": "remote/chat-mini", "kind": "http_error",
                "message": "the model's provider answered with an error"}],
}
SERVICE_UNAVAILABLE = {
    "description": "Every model tried for a stage failed (`errors` names each model and why: a `kind` and its fixed "
                   "`message`, see docs/api.md, \"Errors in client terms\"; with `retry_after_s` "
                   "when the model said when it takes calls again: its circuit breaker is open or its provider "
                   "paused it), or the answer could not be recorded (title `Result not recorded`), or the server is "
                   "stopping and cut the request off (title `Server stopping`). The request is recorded as failed; "
                   "retry after `Retry-After` seconds.",
    "headers": {"Retry-After": {"description": "Seconds until the soonest of the failed models may answer again "
                                               "(1 to 3600; RETRY_AFTER_ON_OUTAGE_S when none said)",
                                "schema": {"type": "integer"}}},
    "content": {"application/json": {"example": OUTAGE_EXAMPLE}},
}


EVENTS_EXAMPLE = (
    'id: 1\nevent: accepted\ndata: {"seq":1,"id":"6f1c…","status":"running","status_url":"/api/v1/recommendations/6f1c…"}\n\n'
    'id: 2\nevent: plans\ndata: {"seq":2,"ranking":"reference","plans":[{"rank":1,"plan_id":14,'
    '"projected_annual_cost":1655.8,…}]}\n\n'
    'id: 3\nevent: stage\ndata: {"seq":3,"stage":"usage_summary","status":"started","model":"local/gemma-3-270m"}\n\n'
    'id: 9\nevent: token\ndata: {"seq":9,"plan_id":14,"model":"local/gemma-3-270m","text":" At"}\n\n'
    'id: 31\nevent: stage\ndata: {"seq":31,"stage":"narrative","status":"finished","model":"local/gemma-3-270m",'
    '"fallbacks":[],"timings":{…}}\n\n'
    'id: 32\nevent: result\ndata: {"seq":32,"id":"6f1c…","data":{…},"metadata":{…},"performance":{…}}\n\n'
)
# Before Open API 3.2, the schema of an event stream describes each event (as Schemathesis reads it).
EVENT = {
    "type": "object",
    "description": "One Server-Sent Event; see docs/api.md, \"Streamed answers\"",
    "properties": {
        "event": {"type": "string", "enum": list(recommendation_stream.EVENT_KINDS)},
        "data": {"type": "string", "contentMediaType": "application/json",
                 "description": "The event as JSON, with its `seq`"},
        "id": {"type": "string", "description": "The event's `seq`"},
    },
    "required": ["event", "data", "id"],
}
STREAMED = {"text/event-stream": {"schema": EVENT, "example": EVENTS_EXAMPLE}}
JOB_EVENTS = {"description": "Server-Sent Events (`accepted`, `plans`, `stage`, then `result` or `problem`)",
              "content": STREAMED}


@router.post(
    "/recommendations",
    auth=ApiKeyAuth("recommend", metered=True),  # counts against the key's daily quota
    response={200: RecommendationOut, 202: RecommendationAccepted, 404: ProblemOut, 503: ProblemOut},
    summary="Recommend plans",
    description="With `wait=true` (default) the answer comes back in the response. With `wait=false` the request "
                "is queued and answered with 202 and an id to poll at GET /recommendations/{id}. An identical "
                "request (same input, route and catalog) within the cache TTL is answered from the response cache: "
                "`metadata.cache.hit` is true. With `Accept: text/event-stream` the answer streams as Server-Sent "
                "Events: `accepted`, `plans` (exact costs, as soon as they are computed), `stage` started/finished, "
                "`token` (each plan's why as the model writes it), then `result` (the JSON answer) or `problem`; "
                "every event has a `seq`. A client that disconnects cancels the work (recorded as cancelled). "
                "An Accept that takes neither JSON nor event streams gets 406; a `current_plan.plan_id` that names no "
                "active plan gets 404.",
    openapi_extra={"responses": {200: {"content": STREAMED}, 503: SERVICE_UNAVAILABLE}},
)
async def create_recommendation(request: HttpRequest, payload: RecommendationIn, wait: bool = True):
    setattr(request, MODE_ATTRIBUTE, payload.mode)
    if wants_event_stream(request):
        if not wait:
            queued = await sync_to_async(actions.queue_recommendation)(
                payload, api_key_id=request.auth.pk, request_id=request_id_for(request),
            )
            return event_stream_response(recommendation_stream.job_events(queued))
        recommendation, inputs, route = await actions.start(payload, api_key_id=request.auth.pk,
                                                            request_id=request_id_for(request))
        return event_stream_response(recommendation_stream.answer_events(recommendation, payload, inputs, route))
    if wait:
        return Status(200, await actions.recommend(payload, api_key_id=request.auth.pk, request_id=request_id_for(request)))
    queued = await sync_to_async(actions.queue_recommendation)(
        payload, api_key_id=request.auth.pk, request_id=request_id_for(request),
    )
    return Status(202, {"id": queued.pk, "status": queued.status, "status_url": f"/api/v1/recommendations/{queued.pk}"})


@router.get(
    "/recommendations/{recommendation_id}/events",
    response={200: None, 404: ProblemOut},
    summary="Follow a recommendation as Server-Sent Events",
    description="For a request queued with `wait=false` (or any earlier one): `accepted`, `plans`, `stage` events as "
                "the worker records its progress, then `result` or `problem`. It answers only text/event-stream (406 "
                "for an Accept that excludes it). The work goes on if the client disconnects; connect again to follow "
                "it.",
    openapi_extra={"responses": {200: JOB_EVENTS}},
)
async def recommendation_events(request: HttpRequest, recommendation_id: uuid.UUID):
    # Only an Accept that takes text/event-stream gets here (energy.negotiation answers others 406).
    recommendation = await aget_object_or_404(Recommendation, pk=recommendation_id, api_key=request.auth)
    return event_stream_response(recommendation_stream.job_events(recommendation))


@router.get("/recommendations/{recommendation_id}",
            response={200: RecommendationStatusOut, 404: ProblemOut},
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
        # The row keeps the errors' detail for operators (the admin); a client is told them in its terms.
        "errors": client_errors(recommendation.errors),
        "result": answer_for_client(recommendation.output),
    }


def event_stream_response(events) -> StreamingHttpResponse:
    response = StreamingHttpResponse(events, content_type=recommendation_stream.MEDIA_TYPE)
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on as it comes
    return response
