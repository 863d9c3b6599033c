"""A streamed answer from the product as `make run` serves it (the embedded model on the real
engine): each plan's why arrives token by token, a client that leaves cancels the work, and an
engine that dies mid-answer ends the stream (it is restarted, and used again)."""

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live_server import LiveServer, descendants, live_server

pytestmark = [pytest.mark.cluster, pytest.mark.llm]

USAGE = [1100, 1000, 900, 850, 1000, 1400, 1800, 1900, 1500, 1000, 950, 1150]
STATE = """
import json
from energy.models import LLMCall, Recommendation
r = Recommendation.objects.get(pk="{id}")
print(json.dumps({{"status": r.status, "errors": [e.get("kind") for e in r.errors],
                  "calls": sorted(set(LLMCall.objects.filter(recommendation=r).values_list("status", "error_class")))}}))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("stream")) as running:
        yield running


def events(server: LiveServer, usage: list[int], *, stop_after=None) -> Iterator[tuple[str, dict]]:
    """The stream's events; `stop_after(kind, data)` true closes the connection there."""
    body = {"monthly_usage_kwh": usage, "mode": "fast"}
    headers = {"Authorization": f"Bearer {server.api_key}", "Accept": "text/event-stream"}
    with httpx.stream("POST", f"{server.base_url}/api/v1/recommendations", json=body, headers=headers, timeout=60) as r:
        assert r.status_code == 200
        kind = None
        for line in r.iter_lines():
            if line.startswith("event: "):
                kind = line[len("event: "):]
            elif line.startswith("data: "):
                data = json.loads(line[len("data: "):])
                yield kind, data
                if stop_after is not None and stop_after(kind, data):
                    return


def state(server: LiveServer, recommendation_id: str) -> dict:
    return json.loads(server.manage("shell", "-c", STATE.format(id=recommendation_id)).strip().splitlines()[-1])


def engine_pids(server: LiveServer) -> set[int]:
    return {pid for pid in descendants(server.process.pid)
            if Path(f"/proc/{pid}/comm").read_text().strip() == "llama-server"}


def test_it_streams_each_plans_why_token_by_token(server):
    received = list(events(server, USAGE))

    kinds = [kind for kind, _ in received]
    assert kinds[:2] == ["accepted", "plans"]
    assert kinds[-1] == "result"
    result = received[-1][1]
    tokens: dict[int, str] = {}
    for kind, data in received:
        if kind == "token":
            tokens[data["plan_id"]] = tokens.get(data["plan_id"], "") + data["text"]
    recommendations = result["data"]["recommendations"]
    assert set(tokens) == {r["plan_id"] for r in recommendations}
    written = {s["plan_id"] for s in result["metadata"]["narrative_sources"] if s["source"] == "local/gemma-3-270m"}
    for recommendation in recommendations:
        if recommendation["plan_id"] in written:  # the model's text, as it was streamed
            assert recommendation["why"] == tokens[recommendation["plan_id"]].strip().splitlines()[0].strip()
    assert kinds.index("token") < kinds.index("result")


def test_it_cancels_the_work_of_a_client_that_leaves(server):
    received = list(events(server, [*USAGE[:-1], 1151], stop_after=lambda kind, _: kind == "token"))
    recommendation_id = received[0][1]["id"]

    deadline = time.monotonic() + 10
    while (found := state(server, recommendation_id))["status"] == "running":
        assert time.monotonic() < deadline, found
        time.sleep(0.2)
    assert found["status"] == "failed"
    assert found["errors"] == ["cancelled"]
    assert ["failed", "cancelled"] in found["calls"]
    assert not [call for call in found["calls"] if call[0] == "started"]


def test_it_ends_the_stream_when_the_engine_dies_mid_answer_and_comes_back(server):
    killed: set[int] = set()

    def kill_engine(kind, _):
        if kind == "token" and not killed:
            killed.update(engine_pids(server))
            for pid in killed:
                os.kill(pid, signal.SIGKILL)
        return False

    started = time.monotonic()
    received = list(events(server, [*USAGE[:-1], 1152], stop_after=kill_engine))

    assert killed
    assert time.monotonic() - started < 25  # within the request's deadline: never a hung connection
    assert received[-1][0] in ("result", "problem")
    if received[-1][0] == "result":
        assert received[-1][1]["metadata"]["models"]["narrative"] == "builtin/rules"
    deadline = time.monotonic() + 20
    while httpx.get(f"{server.base_url}/api/v1/health").json()["status"] != "up":  # degraded while the engine is down
        assert time.monotonic() < deadline, "the engine was not restarted"
        time.sleep(0.2)
    again = list(events(server, [*USAGE[:-1], 1153]))
    assert "token" in [kind for kind, _ in again]
