"""The API's JSON through orjson: what a client receives is byte for byte what Django's own
encoder would have written (datetimes in its format, Decimals as exact strings, UUIDs), and a
body only the lenient standard parser reads still reaches validation."""

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from ninja.responses import NinjaJSONEncoder

from config.json_codec import ORJSONParser, dumps

VALUES = {
    "created_at": datetime(2026, 12, 3, 7, 4, 5, 123456, tzinfo=UTC),
    "cost_usd": Decimal("0.000123450"),
    "annual": Decimal("1650.10"),
    "id": uuid.UUID("6f1c2b8e-2c1d-4f7a-9a53-2b7d9c6e1f00"),
    "nested": [{"score": 0.5, "n": 3, "why": "café ☀"}, None, True],
}


def test_it_renders_what_djangos_encoder_renders():
    assert json.loads(dumps(VALUES)) == json.loads(json.dumps(VALUES, cls=NinjaJSONEncoder))
    assert b'"created_at":"2026-12-03T07:04:05.123Z"' in dumps(VALUES)
    assert b'"cost_usd":"0.000123450"' in dumps(VALUES)


@pytest.mark.parametrize("body", [b'{"a": NaN}', b'{"a": Infinity}'])
def test_numbers_only_the_standard_parser_reads_still_parse(rf, body):
    parsed = ORJSONParser().parse_body(rf.post("/", data=body, content_type="application/json"))

    assert set(parsed) == {"a"}


def test_a_body_neither_parser_reads_is_a_json_error(rf):
    with pytest.raises(json.JSONDecodeError):
        ORJSONParser().parse_body(rf.post("/", data=b'{"a": ', content_type="application/json"))
