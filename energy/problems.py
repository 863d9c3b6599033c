"""RFC 9457 problem responses: every client error names what went wrong, and where."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

PROBLEM_MEDIA_TYPE = "application/problem+json"


class ClientError(Exception):
    """A request that is well-formed but cannot be carried out; other apps subclass it and the
    root API turns it into a problem response with `status`."""

    status = 409
    title = "Conflict"
    headers: dict[str, str] = {}  # sent with the problem, e.g. Retry-After


def problem_body(status: int, title: str, detail: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"type": f"https://energygenius.example/problems/{status}", "title": title, "status": status,
            "detail": detail, "errors": errors or []}


def problem(api: NinjaAPI, request: HttpRequest, status: int, title: str, detail: str,
            errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None) -> HttpResponse:
    body = problem_body(status, title, detail, errors)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_MEDIA_TYPE
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_path(loc: list[Any] | tuple[Any, ...]) -> str:
    """('body', 'payload', 'monthly_usage_kwh', 3) -> 'monthly_usage_kwh[3]'."""
    parts = [p for p in loc if p not in ("body", "payload", "query", "path")]
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "body"


def validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"field": field_path(e.get("loc", ())), "message": e.get("msg", "invalid"), "type": e.get("type", "")}
            for e in errors]

