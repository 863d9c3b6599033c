"""Read a streamed recommendation: Server-Sent Events as (event, data) pairs."""

import json
from typing import Any

from django.http import StreamingHttpResponse
from django.test import AsyncClient

from tests.energy.api.payloads import RECOMMENDATIONS

EVENT_STREAM = {"Accept": "text/event-stream"}


def parse_events(raw: bytes) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for block in raw.decode().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if line and not line.startswith(":"))
        if fields:
            data = json.loads(fields["data"])
            assert int(fields["id"]) == data["seq"]
            events.append((fields["event"], data))
    return events


async def read_events(response: StreamingHttpResponse) -> list[tuple[str, dict[str, Any]]]:
    assert response.status_code == 200, response
    assert response["Content-Type"] == "text/event-stream"
    return parse_events(b"".join([chunk async for chunk in response.streaming_content]))


async def stream_recommendation(client: AsyncClient, headers: dict[str, str], body: dict[str, Any], *,
                                wait: bool = True) -> list[tuple[str, dict[str, Any]]]:
    path = RECOMMENDATIONS if wait else f"{RECOMMENDATIONS}?wait=false"
    response = await client.post(path, data=json.dumps(body), content_type="application/json",
                                 headers={**headers, **EVENT_STREAM})
    return await read_events(response)


def kinds(events: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [kind for kind, _ in events]
