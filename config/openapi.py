"""The OpenAPI document says what the API sends: the answers every operation can give besides its
own (a bad key, a body that is not JSON, a refused Accept, too many requests, …) are added here,
from one table, and every problem is documented as `application/problem+json`, the media type
`energy.problems` sends. A route's `response={...}` names only what is its own: its results,
404, 409, its own 503."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from energy.problems import PROBLEM_MEDIA_TYPE
from energy.schemas import ProblemOut

PROBLEM_REF = {"$ref": "#/components/schemas/ProblemOut"}
Operation = dict[str, Any]


def needs_key(operation: Operation) -> bool:
    return bool(operation.get("security"))


def has_body(operation: Operation) -> bool:
    return "requestBody" in operation


def has_input(operation: Operation) -> bool:
    return has_body(operation) or bool(operation.get("parameters"))


def every(operation: Operation) -> bool:
    return True


def header(description: str, *, required: bool = False, type_: str = "string") -> dict[str, Any]:
    return {"description": description, "required": required, "schema": {"type": type_}}


@dataclass(frozen=True)
class CommonAnswer:
    status: int
    description: str
    applies: Callable[[Operation], bool]
    headers: dict[str, dict[str, Any]] = field(default_factory=dict)


RETRY_AFTER = header("Seconds to wait before trying again", required=True, type_="integer")

COMMON_ANSWERS = (
    CommonAnswer(400, "The body is not JSON", has_body),
    CommonAnswer(401, "No API key, or one that is unknown, revoked, expired or acts for an inactive user", needs_key,
                 {"WWW-Authenticate": header("`Bearer`", required=True)}),
    CommonAnswer(403, "The API key lacks the scope this operation needs, or its user the permission", needs_key),
    CommonAnswer(406, "The Accept header takes none of the media types this operation answers with", every),
    CommonAnswer(422, "A field is missing, unknown or invalid; `errors` names each field and what is wrong with it",
                 has_input),
    CommonAnswer(429, "Too many requests from this API key (its rate limit or quota); retry after `Retry-After`",
                 needs_key, {
                     "Retry-After": RETRY_AFTER,
                     "RateLimit-Policy": header("The key's limits (IETF RateLimit header fields), e.g. "
                                                '`"per-key";q=60;w=60`'),
                     "RateLimit": header('What is left of them, e.g. `"per-key";r=0;t=12`'),
                 }),
    CommonAnswer(503, "The server is stopping and cut the request off (title `Server stopping`), or cannot reach "
                      "its database (title `Service unavailable`)", every,
                 {"Retry-After": RETRY_AFTER}),
)


def as_problem(response: dict[str, Any]) -> None:
    """A ProblemOut documented as application/json (ninja's default) is application/problem+json."""
    content = response.get("content", {})
    json_content = content.get("application/json")
    if json_content is not None and json_content.get("schema") == PROBLEM_REF:
        content[PROBLEM_MEDIA_TYPE] = {**content.pop("application/json"), **content.get(PROBLEM_MEDIA_TYPE, {})}


def document_answers(operation: Operation) -> None:
    responses = operation.setdefault("responses", {})
    documented = {str(status) for status in responses}  # ninja's keys are ints; openapi_extra's may be strings
    for answer in COMMON_ANSWERS:
        if answer.applies(operation) and str(answer.status) not in documented:
            responses[answer.status] = {"description": answer.description,
                                        "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}}
            if answer.headers:
                responses[answer.status]["headers"] = answer.headers
    for response in responses.values():
        as_problem(response)


class DocumentedNinjaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
            "ProblemOut", ProblemOut.model_json_schema(ref_template="#/components/schemas/{model}"))
        for path in schema["paths"].values():
            for operation in path.values():
                document_answers(operation)
        return schema
