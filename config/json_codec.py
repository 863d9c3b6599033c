"""The API's JSON in and out through orjson: parsing and rendering are a measurable share of a
request's own cost (docs/performance.md). Output stays what Django's encoder wrote: datetimes
(passed through to it) keep their format, and Decimals stay exact strings."""

import json
from typing import Any

import orjson
from django.http import HttpRequest
from ninja.parser import Parser
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

_fallback = NinjaJSONEncoder()
# Datetimes go to Django's encoder (ISO 8601, milliseconds, "Z"), as clients have always seen them.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def dumps(data: Any) -> bytes:
    return orjson.dumps(data, default=_fallback.default, option=_OPTIONS)


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return dumps(data)


class ORJSONParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        try:
            return orjson.loads(request.body)
        except orjson.JSONDecodeError:
            # orjson is strict where the standard library is lenient (a bare NaN or Infinity):
            # those bodies still parse, so validation can name the field that holds the bad
            # number; what neither can parse raises json's error, which django-ninja reports.
            return json.loads(request.body)
