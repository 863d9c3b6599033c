"""The fault server itself: faults come in the order planned, per stage first, then at the set
rate; every request is counted by the kind it got."""

import json

import httpx

from tests.fakes.fault_server import FAULTS, FaultServer

SUMMARY_PROMPT = ("Monthly electricity usage facts: average 1,180 kWh a month, peak 1,900 kWh in August, "
                  "lowest 760 kWh in March, summer-peaking, stable.\nReturn ...")


def ask(server: FaultServer, prompt: str) -> int:
    body = {"model": "m", "stream": True, "messages": [{"role": "user", "content": prompt}]}
    try:
        return httpx.post(f"{server.base_url}/chat/completions", json=body, timeout=1).status_code
    except httpx.HTTPError:
        return 0


def test_it_answers_a_stage_correctly_and_in_the_planned_order():
    with FaultServer() as server:
        server.plan(["500", "ok"])
        server.plan(["503"], stage="usage_summary")

        statuses = [ask(server, SUMMARY_PROMPT), ask(server, "Reply OK."), ask(server, SUMMARY_PROMPT),
                    ask(server, SUMMARY_PROMPT)]

        assert statuses == [503, 500, 200, 200]
        assert server.counts == {"503": 1, "500": 1, "ok": 2}
        assert [s.stage for s in server.served()] == ["usage_summary", "other", "usage_summary", "usage_summary"]
        stream = httpx.post(f"{server.base_url}/chat/completions", timeout=1, json={
            "stream": True, "messages": [{"role": "user", "content": SUMMARY_PROMPT}]}).text
        payloads = [line.removeprefix("data: ") for line in stream.splitlines() if line.startswith("data: ")]
        assert payloads[-1] == "[DONE]"
        text = "".join(json.loads(p)["choices"][0]["delta"].get("content", "") for p in payloads[:-1]
                       if json.loads(p)["choices"])
        assert json.loads(text) == {
            "summary": "Usage averages 1,180 kWh a month, peaking at 1,900 kWh in August; the pattern is summer-peaking "
                       "and the trend is stable.",
            "seasonal_pattern": "summer-peaking", "trend": "stable",
        }


def test_it_draws_the_same_faults_for_the_same_seed():
    drawn = []
    for _ in range(2):
        with FaultServer() as server:
            server.fault_rate(0.5, kinds=["500", "502", "400"], seed=7)
            for _ in range(20):
                ask(server, SUMMARY_PROMPT)
            drawn.append([s.kind for s in server.served()])

    assert drawn[0] == drawn[1]
    assert {"ok"} < set(drawn[0]) <= {"ok", "500", "502", "400"}


def test_it_stops_at_once_with_requests_hanging():
    with FaultServer() as server:
        server.always("hang")
        assert ask(server, SUMMARY_PROMPT) == 0  # the client's one-second timeout
    assert server.counts == {"hang": 1}
    assert set(FAULTS) >= {"hang", "reset", "mid-stream-error", "slow-stream"}
