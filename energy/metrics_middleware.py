"""Times every request that reaches the URL resolver (static files are answered earlier, by
WhiteNoise) into energy.metrics' latency histogram. A streamed answer is timed to its headers."""

import time

from asgiref.sync import iscoroutinefunction
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import sync_and_async_middleware

from energy import metrics

# Set by the recommendation endpoint, so latency can be told apart by mode (fast, accurate).
MODE_ATTRIBUTE = "recommendation_mode"


def observe(request: HttpRequest, response: HttpResponse, started: float) -> None:
    match = getattr(request, "resolver_match", None)
    metrics.observe_request(match.route if match else None, request.method or "", response.status_code,
                            getattr(request, MODE_ATTRIBUTE, ""), time.perf_counter() - started)


@sync_and_async_middleware
def request_metrics_middleware(get_response):
    if iscoroutinefunction(get_response):
        async def middleware(request: HttpRequest) -> HttpResponse:
            started = time.perf_counter()
            response = await get_response(request)
            observe(request, response, started)
            return response
    else:
        def middleware(request: HttpRequest) -> HttpResponse:
            started = time.perf_counter()
            response = get_response(request)
            observe(request, response, started)
            return response
    return middleware
