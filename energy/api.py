"""The root API: authentication, routers (mounted by dotted path, so energy never imports
evaluation) and the one place where domain exceptions become HTTP responses."""

import math
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from energy.actions import RecommendationFailed, RecordingFailed
from energy.auth import ApiKeyAuth
from energy.offers import UnknownPlanError
from energy.problems import ClientError, problem, validation_errors

# Retry-After is capped at an hour: a longer hint is a provider's daily quota, and by then an
# operator may well have switched the route to another model.
MAX_RETRY_AFTER_S = 3600

api = NinjaAPI(
    title="EnergyGenius ModelOps API",
    version="1",
    description="Energy-plan recommendations with a timing breakdown per stage, and the models behind them.",
    docs_url="/docs",
    auth=ApiKeyAuth(),
)

api.add_router("/", "energy.routes.recommendations.router")
api.add_router("/", "energy.routes.plans.router")
api.add_router("/", "energy.routes.health.router")
api.add_router("/", "evaluation.api.router")
api.add_router("/", "evaluation.ratings_api.router")


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


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(api, request, 403, "Forbidden", str(exc) or "this API key may not do that")


@api.exception_handler(ClientError)
def on_client_error(request: HttpRequest, exc: ClientError) -> HttpResponse:
    return problem(api, request, exc.status, exc.title, str(exc))


@api.exception_handler(UnknownPlanError)
def on_unknown_plan(request: HttpRequest, exc: UnknownPlanError) -> HttpResponse:
    return problem(api, request, 422, "Unknown plan", str(exc),
                   [{"field": "current_plan.plan_id", "message": f"no plan with id {exc.plan_id}", "type": "unknown_plan"}])


def retry_after(errors: Sequence[dict[str, Any]] = ()) -> dict[str, str]:
    """The soonest any failed model may answer again: a model whose breaker is open or whose
    provider paused it says when (`retry_after_s`); one that just failed, RETRY_AFTER_ON_OUTAGE_S."""
    waits = [float(error.get("retry_after_s", settings.RETRY_AFTER_ON_OUTAGE_S)) for error in errors if "model" in error]
    soonest = min(waits, default=settings.RETRY_AFTER_ON_OUTAGE_S)
    return {"Retry-After": str(min(max(math.ceil(soonest), 1), MAX_RETRY_AFTER_S))}


def failure_summary(errors: list[dict[str, Any]]) -> str:
    failed_models = sorted({error["model"] for error in errors if "model" in error})
    if failed_models:
        return f"every model tried for a stage failed ({', '.join(failed_models)})"
    return "; ".join(str(error.get("message", error.get("kind", ""))) for error in errors) or "unknown error"


@api.exception_handler(RecommendationFailed)
def on_recommendation_failed(request: HttpRequest, exc: RecommendationFailed) -> HttpResponse:
    return problem(api, request, 503, "Recommendation failed",
                   f"recommendation {exc.recommendation_id} could not be produced: {failure_summary(exc.errors)}; "
                   "it is recorded as failed", exc.errors, headers=retry_after(exc.errors))


@api.exception_handler(RecordingFailed)
def on_recording_failed(request: HttpRequest, exc: RecordingFailed) -> HttpResponse:
    return problem(api, request, 503, "Result not recorded",
                   f"recommendation {exc.recommendation_id} could not record its result, so the result is not returned",
                   exc.errors, headers=retry_after())
