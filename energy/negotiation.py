"""Which media type an API response takes, from the request's Accept header (RFC 9110 §12.5.1).

Every API endpoint answers JSON (problems as application/problem+json); the recommendation
endpoints can also stream Server-Sent Events. A request that accepts none of what its endpoint
offers gets 406, as a problem naming what it does offer.
"""

import json
import re

from asgiref.sync import iscoroutinefunction
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import sync_and_async_middleware

from energy.problems import PROBLEM_MEDIA_TYPE, problem_body

JSON = "application/json"
EVENT_STREAM = "text/event-stream"
JSON_TYPES = (JSON, PROBLEM_MEDIA_TYPE)
API_PREFIX = "/api/v1/"
# Served as HTML or as the schema itself, not as API answers.
NOT_NEGOTIATED = ("/api/v1/docs", "/api/v1/openapi.json")
RECOMMENDATIONS = re.compile(r"^/api/v1/recommendations/?$")
EVENTS = re.compile(r"^/api/v1/recommendations/[^/]+/events/?$")


def quality(accept: str, media_type: str) -> float:
    """The q the header gives `media_type`: that of its most specific matching range; 0 if none
    matches. No header, or an empty one, accepts anything."""
    if not accept.strip():
        return 1.0
    kind = media_type.split("/")[0]
    best: tuple[int, float] = (-1, 0.0)  # (specificity, q)
    for item in accept.split(","):
        media_range, *params = [part.strip() for part in item.split(";")]
        media_range = media_range.lower()
        specificity = 2 if media_range == media_type else 1 if media_range == f"{kind}/*" else 0 if media_range == "*/*" else -1
        if specificity < 0 or specificity < best[0]:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        best = (specificity, q)
    return best[1]


def preferred(accept: str, offered: tuple[str, ...]) -> str | None:
    """The offered type the header ranks highest, the first offered on a tie; None if it takes none."""
    ranked = [(quality(accept, media_type), -position, media_type) for position, media_type in enumerate(offered)]
    q, _, media_type = max(ranked)
    return media_type if q > 0 else None


def offered_for(request: HttpRequest) -> tuple[str, ...]:
    """What the endpoint answers with (its problems are application/problem+json whatever it accepts)."""
    if EVENTS.match(request.path):
        return (EVENT_STREAM,)
    if RECOMMENDATIONS.match(request.path) and request.method == "POST":
        return (*JSON_TYPES, EVENT_STREAM)
    return JSON_TYPES


def wants_event_stream(request: HttpRequest) -> bool:
    return preferred(request.headers.get("Accept", ""), offered_for(request)) == EVENT_STREAM


def not_acceptable(request: HttpRequest) -> HttpResponse | None:
    if not request.path.startswith(API_PREFIX) or request.path.startswith(NOT_NEGOTIATED):
        return None
    offered = offered_for(request)
    accept = request.headers.get("Accept", "")
    if preferred(accept, offered) is not None:
        return None
    body = problem_body(406, "Not acceptable", f"Accept: {accept[:200]!r} takes none of what this endpoint answers "
                        f"with: {', '.join(offered)}",
                        [{"field": "Accept", "message": f"accept one of: {', '.join(offered)}", "type": "not_acceptable"}])
    return HttpResponse(json.dumps(body), status=406, content_type=PROBLEM_MEDIA_TYPE)


def as_problem(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """django-ninja answers a method an API path does not take with a plain-text 405; under the API
    it is a problem like every other error, with the same Allow header."""
    if response.status_code != 405 or not request.path.startswith(API_PREFIX):
        return response
    allowed = response.get("Allow", "")
    body = problem_body(405, "Method not allowed", f"{request.method} is not an operation of this URL; it takes: {allowed}",
                        [{"field": "method", "message": f"use one of: {allowed}", "type": "method_not_allowed"}])
    problem = HttpResponse(json.dumps(body), status=405, content_type=PROBLEM_MEDIA_TYPE)
    problem["Allow"] = allowed
    return problem


@sync_and_async_middleware
def negotiation_middleware(get_response):
    if iscoroutinefunction(get_response):
        async def middleware(request: HttpRequest) -> HttpResponse:
            return not_acceptable(request) or as_problem(request, await get_response(request))
    else:
        def middleware(request: HttpRequest) -> HttpResponse:
            return not_acceptable(request) or as_problem(request, get_response(request))
    return middleware
