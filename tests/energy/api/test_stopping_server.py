"""A request that a stopping server cuts off (uvicorn cancels it after its graceful timeout) gets a
503 problem with Retry-After, not uvicorn's bare 500; one whose answer had started is left alone."""

import asyncio
import json

import pytest

from energy.shutdown import StoppingAnswers503


async def run_until_cancelled(app, scope) -> list[dict]:
    sent: list[dict] = []

    async def receive():
        await asyncio.Event().wait()

    async def send(message):
        sent.append(message)

    task = asyncio.create_task(app(scope, receive, send))
    await asyncio.sleep(0.01)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        sent.append({"type": "cancelled"})
    return sent


async def test_it_answers_a_request_cut_off_before_its_answer_with_a_503_problem():
    async def slow_app(scope, receive, send):
        await asyncio.sleep(30)

    sent = await run_until_cancelled(StoppingAnswers503(slow_app), {"type": "http"})

    start, body = sent
    assert start["status"] == 503
    headers = dict(start["headers"])
    assert headers[b"content-type"] == b"application/problem+json"
    assert int(headers[b"retry-after"]) > 0
    problem = json.loads(body["body"])
    assert problem["status"] == 503
    assert "recorded as cancelled" in problem["detail"]


async def test_it_leaves_a_started_answer_alone():
    async def streaming_app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await asyncio.sleep(30)

    sent = await run_until_cancelled(StoppingAnswers503(streaming_app), {"type": "http"})

    assert [m.get("status") for m in sent if m["type"] == "http.response.start"] == [200]
    assert sent[-1] == {"type": "cancelled"}


@pytest.mark.parametrize("scope_type", ["lifespan", "websocket"])
async def test_it_only_answers_http(scope_type):
    async def slow_app(scope, receive, send):
        await asyncio.sleep(30)

    sent = await run_until_cancelled(StoppingAnswers503(slow_app), {"type": scope_type})

    assert sent == [{"type": "cancelled"}]
