"""The problem a recommendation with no answer gets: the JSON call's 503 body and Retry-After,
and a streamed answer's `problem` event."""

import math
from collections.abc import Sequence
from typing import Any

from django.conf import settings

from energy.client_errors import client_errors
from energy.problems import problem_body
from energy.recommendation_records import RecommendationFailed, RecordingFailed

# Retry-After is capped at an hour: a longer hint is a provider's daily quota, and by then an
# operator may well have switched the route to another model.
MAX_RETRY_AFTER_S = 3600


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
    return "; ".join(error["message"] for error in errors) or "unknown error"


def recommendation_failure(exc: RecommendationFailed) -> tuple[dict[str, Any], dict[str, str]]:
    """The 503 problem (and its Retry-After) for a recommendation that got no answer: as the JSON
    response's body, and as a streamed answer's `problem` event. It tells the recorded errors in
    client terms; the row keeps their detail for operators."""
    errors = client_errors(exc.errors)
    if isinstance(exc, RecordingFailed):
        detail = f"recommendation {exc.recommendation_id} could not record its result, so the result is not returned"
        return problem_body(503, "Result not recorded", detail, errors), retry_after()
    detail = (f"recommendation {exc.recommendation_id} could not be produced: {failure_summary(errors)}; "
              "it is recorded as failed")
    return problem_body(503, "Recommendation failed", detail, errors), retry_after(errors)
