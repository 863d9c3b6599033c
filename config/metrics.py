"""GET /metrics: the Prometheus text exposition, for a scraper that sends METRICS_TOKEN as a
Bearer token or scrapes from a network in METRICS_ALLOWED_NETWORKS (loopback by default).
Anyone else gets 401 or 403 and learns nothing about traffic or models."""

import ipaddress
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from energy.metrics import exposition
from evaluation.monitoring import COLLECTORS


def allowed_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(net.strip(), strict=False)
                 for net in settings.METRICS_ALLOWED_NETWORKS.split(",") if net.strip())


def has_token(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and secrets.compare_digest(given.encode(), f"Bearer {token}".encode())


def from_allowed_network(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in allowed_networks())


@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not (has_token(request) or from_allowed_network(request)):
        if settings.METRICS_TOKEN:
            return HttpResponse("send the metrics token as 'Authorization: Bearer <token>'\n", status=401,
                                content_type="text/plain", headers={"WWW-Authenticate": "Bearer"})
        return HttpResponse("metrics are served only to METRICS_ALLOWED_NETWORKS\n", status=403,
                            content_type="text/plain")
    body, content_type = exposition(COLLECTORS, request.headers.get("Accept", ""))
    return HttpResponse(body, content_type=content_type)
