"""What an API client is told about a failure: which stage and model, a kind from a fixed
vocabulary, and that kind's fixed message.

The errors a request records (its Recommendation row, its LLMCall rows, the logs) keep the detail
operators need: exception text, provider answers, addresses, the model's rejected text. None of
that is client terms, and some of it is the internal network, so an answer, a problem and a
streamed event carry only `client_errors` of them. A kind outside the vocabulary (an exception
nobody expected) is told as `internal_error`, never by its name or text."""

from typing import Any

INTERNAL_ERROR = "internal_error"

MESSAGES = {
    # A model call that failed (energy.llm.base, ProviderError.error_class).
    "timeout": "the model did not answer in time",
    "deadline_exceeded": "the request's time ran out before the model answered",
    "connection_error": "the model could not be reached",
    "http_error": "the model's provider answered with an error",
    "bad_response": "the model's provider answered with something that is not a completion",
    "stream_incomplete": "the model's answer broke off before it ended",
    "engine_busy": "the model had no room to answer within the request's time",
    "provider_exhausted": "the model's provider takes no more calls for now",
    "circuit_open": "the model failed too often lately and is not called until it recovers",
    "failed_earlier": "the model already failed in this request, so it was not asked again",
    "not_configured": "the model is not configured to take calls",
    "provider_error": "the model could not be called",
    "empty_answer": "the model answered nothing",
    # An answer the stage refused (energy.pipeline.stages.base.OutputInvalid.kind).
    "invalid_json": "the model's answer was not valid JSON",
    "bad_format": "the model's answer was not in the expected form",
    "unknown_plan": "the model's answer named a plan that is not among the request's plans",
    "wrong_number": "the model's answer stated a number that the facts do not support",
    "wrong_fact": "the model's answer contradicted the facts",
    "constraint_violation": "the model's answer ranked a plan that breaks the request's constraints",
    # The request as a whole (energy.recommendation_records, the route resolver).
    "no_model": "no model could serve the stage",
    "cancelled": "the request was cancelled (e.g. the client went away) before it finished",
    "not_recorded": "the result could not be recorded, so it was not returned",
    "abandoned": "the server answering the request stopped before it finished",
    "plan_not_found": "a plan the request names no longer exists",
    "policy_invalid": "the routing policy could not be applied; the default routing served this request",
    INTERNAL_ERROR: "the server failed while answering; the failure is recorded for the operators",
}

# What locates a failure or says when to come back, and nothing else.
CLIENT_FIELDS = ("stage", "model", "plan_id", "retry_after_s")


def client_error(error: dict[str, Any]) -> dict[str, Any]:
    kind = error.get("kind") if error.get("kind") in MESSAGES else INTERNAL_ERROR
    told = {field: error[field] for field in CLIENT_FIELDS if field in error}
    return {**told, "kind": kind, "message": MESSAGES[kind]}


def client_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [client_error(error) for error in errors]


def answer_for_client(answer: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored answer as a client may read it again. Answers stored before errors were told in
    client terms carry the recorded detail in `metadata.errors`."""
    if not answer or "metadata" not in answer:
        return answer
    return {**answer, "metadata": {**answer["metadata"], "errors": client_errors(answer["metadata"].get("errors", []))}}
