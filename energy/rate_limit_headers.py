"""Every answer to a request counted against an API key's limits says where the key stands
(`RateLimit-Policy`, `RateLimit`): successes, refusals and streamed answers alike."""

from asgiref.sync import iscoroutinefunction
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import sync_and_async_middleware

from energy.rate_limits import STANDING_ATTRIBUTE


def add_headers(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    standing = getattr(request, STANDING_ATTRIBUTE, None)
    if standing is not None:
        for name, value in standing.headers().items():
            response[name] = value
    return response


@sync_and_async_middleware
def rate_limit_headers_middleware(get_response):
    if iscoroutinefunction(get_response):
        async def middleware(request: HttpRequest) -> HttpResponse:
            return add_headers(request, await get_response(request))
    else:
        def middleware(request: HttpRequest) -> HttpResponse:
            return add_headers(request, get_response(request))
    return middleware
