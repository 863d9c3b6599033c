"""The root API: authentication, routers (mounted by dotted path, so energy never imports
evaluation) and the one place where domain exceptions become HTTP responses."""


import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found
from ninja.errors import AuthenticationError, HttpError, ValidationError

from config.json_codec import ORJSONParser, ORJSONRenderer
from config.openapi import DocumentedNinjaAPI
from energy.auth import ApiKeyAuth
from energy.negotiation import API_PREFIX
from energy.offers import UnknownPlanError
from energy.problems import ClientError, problem, validation_errors
from energy.recommendation_problems import recommendation_failure
from energy.recommendation_records import RecommendationFailed

logger = logging.getLogger(__name__)

api = DocumentedNinjaAPI(
    title="EnergyGenius ModelOps API",
    version="1",
    description="Energy-plan recommendations with a timing breakdown per stage, and the models behind them.",
    docs_url="/docs",
    auth=ApiKeyAuth(),
    parser=ORJSONParser(),
    renderer=ORJSONRenderer(),
)

api.add_router("/", "energy.routes.recommendations.router")
api.add_router("/", "energy.routes.plans.router")
api.add_router("/", "energy.routes.health.router")
api.add_router("/", "evaluation.catalog.api.router")
api.add_router("/", "evaluation.slots.api.router")
api.add_router("/", "evaluation.benchmarks.api.router")
api.add_router("/", "evaluation.ratings.api.router")


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = validation_errors(exc.errors)
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(api, request, 422, "Invalid request", detail, errors)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(api, request, 401, "Unauthorized", "send a valid API key as 'Authorization: Bearer <key>'",
                   headers={"WWW-Authenticate": "Bearer"})


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(api, request, exc.status_code, "Request error", str(exc))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Another key's recommendation is "not found" too: its existence is not the caller's business.
    return problem(api, request, 404, "Not found", "not found, or not visible to this API key")


def unknown_url(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 (config.urls.handler404), for a URL no route matches, such as a model key with a
    newline in it: under the API it is a problem like every other API 404, not an HTML page."""
    if request.path.startswith(API_PREFIX):
        return problem(api, request, 404, "Not found", "no API operation at this URL")
    return page_not_found(request, exception)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(api, request, 403, "Forbidden", str(exc) or "this API key may not do that")


@api.exception_handler(ClientError)
def on_client_error(request: HttpRequest, exc: ClientError) -> HttpResponse:
    return problem(api, request, exc.status, exc.title, str(exc), headers=exc.headers)


@api.exception_handler(UnknownPlanError)
def on_unknown_plan(request: HttpRequest, exc: UnknownPlanError) -> HttpResponse:
    # 404, as for an unknown model or suite named in a body: the request is well-formed, what it names is not there.
    return problem(api, request, 404, "Unknown plan", str(exc),
                   [{"field": "current_plan.plan_id", "message": f"no plan with id {exc.plan_id}", "type": "unknown_plan"}])


@api.exception_handler(RecommendationFailed)
def on_recommendation_failed(request: HttpRequest, exc: RecommendationFailed) -> HttpResponse:
    body, headers = recommendation_failure(exc)
    return problem(api, request, body["status"], body["title"], body["detail"], body["errors"], headers=headers)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def on_database_unreachable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database not answering (down, restarting, out of connections) is the service's outage,
    not the client's error: a 503 to retry, never the exception's text (it names hosts and files);
    the operators have it in the log."""
    logger.error("database unreachable while answering %s %s", request.method, request.path, exc_info=exc)
    return problem(api, request, 503, "Service unavailable", "the service cannot reach its database; retry later",
                   headers={"Retry-After": str(settings.RETRY_AFTER_ON_OUTAGE_S)})
