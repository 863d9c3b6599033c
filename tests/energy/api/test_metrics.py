"""GET /metrics: the Prometheus exposition a monitoring system scrapes. Only a scraper with the
token, or on an allowed network, reads it; it counts requests by route and mode, stage
latencies by model, upstream calls by outcome, response-cache hits and misses, the task queue,
each remote model's breaker state (live traffic's, and benchmarks' apart), and the progress of
unfinished benchmark runs.

The instruments are process-wide, so each test compares a scrape before and after what it does."""

import json
import uuid
from collections.abc import Callable

import httpx
import pytest
from django.core.cache import cache
from django.test import AsyncClient, Client
from prometheus_client.parser import text_string_to_metric_families

from energy.llm.breaker import BreakerConfig, CircuitBreaker, Permit
from energy.llm.scopes import BENCHMARK
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import BenchmarkSuite, Scenario
from evaluation.seeds.benchmarks import SCENARIOS
from tests.conftest import REMOTE_CHAT_URL
from tests.energy.api.chat_model import chat_server
from tests.energy.api.payloads import RECOMMENDATIONS, post_recommendation, recommendation_body

Samples = dict[tuple[str, frozenset], float]


def parse(text: str) -> Samples:
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def scrape(client: Client) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return parse(response.content.decode())


async def ascrape(client: AsyncClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.content
    return parse(response.content.decode())


REQUESTS = "energygenius_http_request_duration_seconds_count"
STAGES = "energygenius_stage_duration_seconds_count"
CALLS = "energygenius_llm_calls_total"
CACHE = "energygenius_response_cache_lookups_total"


# Who may scrape.

@pytest.mark.django_db
def test_a_scraper_on_loopback_reads_the_metrics(client):
    samples = scrape(client)

    assert ("energygenius_task_queue_depth", frozenset()) in samples


@pytest.mark.django_db
def test_a_scraper_from_another_network_is_refused(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 403
    assert b"energygenius" not in response.content
    assert b"METRICS_ALLOWED_NETWORKS" in response.content


@pytest.mark.django_db
def test_a_configured_network_may_scrape(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = "10.0.0.0/8, 203.0.113.0/24"

    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


@pytest.mark.django_db
def test_with_a_token_a_scraper_anywhere_must_send_it(client, settings):
    settings.METRICS_TOKEN = "scrape-secret-1"
    elsewhere = {"REMOTE_ADDR": "203.0.113.9"}

    missing = client.get("/metrics", **elsewhere)
    wrong = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-2"}, **elsewhere)
    right = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-1"}, **elsewhere)

    assert (missing.status_code, wrong.status_code, right.status_code) == (401, 401, 200)
    assert missing["WWW-Authenticate"] == "Bearer"
    assert b"scrape-secret" not in missing.content + wrong.content
    assert b"energygenius_task_queue_depth" in right.content


@pytest.mark.django_db
def test_only_get_is_answered(client):
    assert client.post("/metrics").status_code == 405


# What is counted.

@pytest.mark.django_db
def test_requests_are_counted_by_route_pattern_method_and_status(client):
    before = scrape(client)

    client.get(f"{RECOMMENDATIONS}/{uuid.uuid4()}", headers={"Accept": "application/json"})
    client.get(f"{RECOMMENDATIONS}/{uuid.uuid4()}", headers={"Accept": "application/json"})
    client.get("/no/such/page/")

    after = scrape(client)
    one = {"route": f"{RECOMMENDATIONS}/{{recommendation_id}}", "method": "GET", "mode": ""}
    assert value(after, REQUESTS, status="401", **one) - value(before, REQUESTS, status="401", **one) == 2
    unmatched = {"route": "unmatched", "method": "GET", "status": "404", "mode": ""}
    assert value(after, REQUESTS, **unmatched) - value(before, REQUESTS, **unmatched) == 1


@pytest.mark.django_db(transaction=True)
async def test_a_recommendation_is_counted_with_its_mode_stages_and_a_cache_miss_then_hit(
    async_client, auth_headers, plans, rules_only_catalog,
):
    before = await ascrape(async_client)

    first = await post_recommendation(async_client, auth_headers, recommendation_body(mode="accurate"))
    second = await post_recommendation(async_client, auth_headers, recommendation_body(mode="accurate"))

    after = await ascrape(async_client)
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["metadata"]["cache"]["hit"] is True

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta(REQUESTS, route=RECOMMENDATIONS, method="POST", status="200", mode="accurate") == 2
    for stage in ("usage_summary", "plan_scoring", "narrative"):
        assert delta(STAGES, stage=stage, model="builtin/rules") == 1  # the hit ran no stage
    assert (delta(CACHE, result="miss"), delta(CACHE, result="hit")) == (1, 1)


@pytest.mark.django_db(transaction=True)
async def test_upstream_calls_are_counted_by_model_and_outcome(
    async_client, auth_headers, plans, remote_catalog, httpx_mock,
):
    good_model = chat_server(plans)

    def refuses_the_narrative(request: httpx.Request) -> httpx.Response:
        if '"explanations"' in json.loads(request.content)["messages"][-1]["content"]:
            return httpx.Response(400, json={"error": "context too long"})
        return good_model(request)

    httpx_mock.add_callback(refuses_the_narrative, url=REMOTE_CHAT_URL, method="POST", is_reusable=True)
    before = await ascrape(async_client)

    answer = await post_recommendation(async_client, auth_headers, recommendation_body(mode="fast"))

    after = await ascrape(async_client)
    assert answer.status_code == 200
    model = {"model": "remote/chat-mini"}
    succeeded = value(after, CALLS, status="succeeded", **model) - value(before, CALLS, status="succeeded", **model)
    failed = value(after, CALLS, status="failed", **model) - value(before, CALLS, status="failed", **model)
    assert (succeeded, failed) == (2, 1)
    served = {stage for stage, key in answer.json()["metadata"]["models"].items() if key == "remote/chat-mini"}
    for stage in served:
        assert value(after, STAGES, stage=stage, **model) - value(before, STAGES, stage=stage, **model) == 1


# What is read at scrape time.

@pytest.mark.django_db
def test_each_remote_model_shows_its_breaker_state(client, remote_model, rules_model):
    cache.clear()
    breaker_state = "energygenius_circuit_breaker_state"
    closed = scrape(client)

    breaker = CircuitBreaker(BreakerConfig(window=1, min_calls=1, open_s=60))
    breaker.record(Permit(remote_model.key), failed=True)
    opened = scrape(client)
    cache.clear()

    key = remote_model.key
    assert [value(closed, breaker_state, model=key, state=s) for s in ("closed", "open", "half_open")] == [1, 0, 0]
    assert [value(opened, breaker_state, model=key, state=s) for s in ("closed", "open", "half_open")] == [0, 1, 0]
    assert not any(name == breaker_state and ("model", rules_model.key) in labels for name, labels in opened)


@pytest.mark.django_db
def test_a_benchmarks_breaker_is_shown_apart_from_the_live_one(client, remote_model):
    cache.clear()
    CircuitBreaker(BreakerConfig(window=1, min_calls=1, open_s=60), scope=BENCHMARK).record(
        Permit(remote_model.key), failed=True)
    samples = scrape(client)
    cache.clear()

    key = remote_model.key
    assert value(samples, "energygenius_circuit_breaker_state", model=key, state="closed") == 1
    assert value(samples, "energygenius_benchmark_circuit_breaker_state", model=key, state="open") == 1


@pytest.mark.django_db
def test_queued_tasks_are_the_queue_depth(client, settings):
    from django_q.tasks import async_task

    before = value(scrape(client), "energygenius_task_queue_depth")
    async_task("math.floor", 1.5)
    async_task("math.floor", 2.5)

    assert value(scrape(client), "energygenius_task_queue_depth") - before == 2


@pytest.fixture
def unstarted_run(plans, rules_a, monkeypatch) -> Callable:
    monkeypatch.setattr("evaluation.benchmarks.actions.async_task", lambda *args, **kwargs: None)
    suite = BenchmarkSuite.objects.create(name="three")
    for scenario in SCENARIOS[:3]:
        Scenario.objects.create(suite=suite, **scenario)
    return start_benchmark(suite, [rules_a.key], acting_user=None, repetitions=2, warmup_repetitions=0)


@pytest.mark.django_db
def test_an_unfinished_benchmark_run_shows_its_units_by_status(client, unstarted_run):
    samples = scrape(client)

    run = {"run": str(unstarted_run.pk)}
    assert value(samples, "energygenius_benchmark_units", status="queued", **run) == 6
    assert value(samples, "energygenius_benchmark_runs", status=unstarted_run.status) == 1
