"""/metrics as `make run` serves it, with two uvicorn workers beside the cluster: every scrape,
whichever worker answers it, adds up the samples of all processes, and the cluster's task runs
(a queued recommendation's stages) are counted with the workers' requests."""

import time
from collections.abc import Iterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.live_server import LiveServer, live_server

pytestmark = pytest.mark.cluster

HEALTH = "/api/v1/health"
REQUESTS = 10
SCRAPES = 8
USAGE = [1100, 1000, 900, 850, 1000, 1400, 1800, 1900, 1500, 1000, 950, 1150]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("metrics"), WEB_CONCURRENCY="2") as running:
        yield running


def counted(server: LiveServer, name: str, **labels: str) -> float:
    """One scrape, on a connection of its own (so successive scrapes may reach different workers)."""
    with httpx.Client(base_url=server.base_url, timeout=10) as client:
        response = client.get("/metrics")
    assert response.status_code == 200, response.text
    return sum(sample.value for family in text_string_to_metric_families(response.text)
               for sample in family.samples
               if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()))


def test_every_scrape_counts_the_requests_of_all_workers(server):
    health_requests = {"route": HEALTH, "method": "GET", "status": "200"}
    name = "energygenius_http_request_duration_seconds_count"
    before = counted(server, name, **health_requests)
    for _ in range(REQUESTS):
        with httpx.Client(base_url=server.base_url, timeout=10) as client:  # a new connection each
            assert client.get(HEALTH).status_code == 200

    seen = [counted(server, name, **health_requests) - before for _ in range(SCRAPES)]

    assert seen == [REQUESTS] * SCRAPES


def test_the_clusters_work_is_counted_in_the_same_scrape(server):
    name = "energygenius_stage_duration_seconds_count"
    before = counted(server, name, stage="narrative")
    headers = {"Authorization": f"Bearer {server.api_key}"}
    body = {"monthly_usage_kwh": USAGE, "mode": "accurate", "preferences": {"prefer_renewable": True}}

    queued = httpx.post(f"{server.base_url}/api/v1/recommendations?wait=false", json=body, headers=headers, timeout=10)
    assert queued.status_code == 202, queued.text
    status_url = f"{server.base_url}/api/v1/recommendations/{queued.json()['id']}"
    deadline = time.monotonic() + 60
    while (state := httpx.get(status_url, headers=headers, timeout=10).json())["status"] not in ("succeeded", "failed"):
        assert time.monotonic() < deadline, state
        time.sleep(0.2)

    assert state["status"] == "succeeded", state
    assert counted(server, name, stage="narrative") - before == 1
