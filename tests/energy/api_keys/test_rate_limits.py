"""Each API key is limited: a rate with a burst (a token bucket in the shared cache), a daily
quota of recommendations, and a cap on its queued requests. Beyond them it is answered 429, an
RFC 9457 problem with Retry-After; every counted answer carries the RateLimit headers. The limits
hold across processes, on the database cache and on Redis alike."""

import os
import subprocess
import sys
import time
from io import StringIO

import pytest
import redis
from django.core.cache import caches
from django.core.management import CommandError, call_command

from energy import rate_limits
from energy.checks import check_api_key_limits
from energy.models import ApiKey, Recommendation, hash_api_key
from energy.rate_limits import DAY_S, Limits, take
from tests.conftest import BASE_DIR, database_env
from tests.energy.api.payloads import recommendation_body

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/plans"
RECOMMENDATIONS = "/api/v1/recommendations"
MIDNIGHT = 20_000 * DAY_S  # a UTC midnight, as epoch seconds


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def recommend(client, raw: str, *, wait: bool = True):
    return client.post(RECOMMENDATIONS if wait else f"{RECOMMENDATIONS}?wait=false", recommendation_body(),
                       content_type="application/json", headers=bearer(raw))


def test_the_bucket_lets_a_burst_in_then_refills_at_the_rate():
    limits = Limits(per_minute=60, burst=3, per_day=0, max_queued=0)  # one a second, three at once
    bucket, outcomes = None, []
    for now in (0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 30.0, 30.0, 30.0, 30.0):
        bucket, refused_by = take(bucket, MIDNIGHT + now, limits, metered=False)
        outcomes.append(refused_by)

    # Three at once, then one per second refilled, and never more than three saved up.
    assert outcomes == [None, None, None, "rate", None, "rate", None, None, None, "rate"]


def test_the_quota_counts_metered_requests_resets_each_day_and_a_refused_request_changes_nothing():
    limits = Limits(per_minute=60, burst=1, per_day=2, max_queued=0)
    bucket, _ = take(None, MIDNIGHT + 10, limits, metered=True)
    bucket, _ = take(bucket, MIDNIGHT + 20, limits, metered=False)  # a read: not counted
    assert bucket.used == 1
    refused, refused_by = take(bucket, MIDNIGHT + 20.5, limits, metered=True)  # too soon: the rate refuses
    assert (refused_by, refused.used, refused.tat) == ("rate", 1, bucket.tat)
    bucket, _ = take(bucket, MIDNIGHT + 30, limits, metered=True)
    assert take(bucket, MIDNIGHT + 40, limits, metered=True)[1] == "daily"
    assert take(bucket, MIDNIGHT + 40, limits, metered=False)[1] is None  # reads go on

    next_day, refused_by = take(bucket, MIDNIGHT + DAY_S + 1, limits, metered=True)
    assert (refused_by, next_day.used) == (None, 1)


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings):
    """The shared cache as deployed: the database cache, or Redis."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_server")
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
        redis.Redis.from_url(url).flushdb()
    yield caches["default"]
    caches["default"].clear()


def test_the_shared_cache_keeps_the_bucket_as_take_does(shared_cache, settings):
    settings.API_KEY_RATE_BURST = 2
    key, _ = ApiKey.generate("app", rate_per_minute=60, daily_quota=3)
    limits = Limits.of(key)
    expected, seen = None, []
    for now, metered in [(0, True), (0.1, True), (0.2, True), (1.5, True), (2.9, False), (4, True), (9, True),
                         (DAY_S + 5, True)]:
        standing = rate_limits.check(key, metered=metered, now=MIDNIGHT + now)
        bucket, refused_by = take(expected, MIDNIGHT + now, limits, metered=metered)
        expected = bucket if refused_by is None else expected
        seen.append(standing.refused_by)
        assert standing.refused_by == refused_by
        assert (standing.bucket.day, standing.bucket.used) == (bucket.day, bucket.used)
        assert standing.bucket.tat == pytest.approx(bucket.tat)

    assert seen == [None, None, "rate", None, None, "daily", "daily", None]


def test_a_key_past_its_burst_is_answered_429_with_retry_after_and_ratelimit_headers(client, settings):
    settings.API_KEY_RATE_BURST = 2
    _, raw = ApiKey.generate("app", rate_per_minute=1, daily_quota=0)

    first, second, refused = (client.get(PLANS, headers=bearer(raw)) for _ in range(3))

    assert (first.status_code, second.status_code, refused.status_code) == (200, 200, 429)
    assert first["RateLimit-Policy"] == '"rate";q=2;w=120'
    assert first["RateLimit"].startswith('"rate";r=1;t=')
    assert second["RateLimit"].startswith('"rate";r=0;t=')
    assert refused["Content-Type"] == "application/problem+json"
    problem = refused.json()
    assert (problem["status"], problem["title"]) == (429, "Too many requests")
    assert "1 requests a minute (bursts of 2)" in problem["detail"]
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["RateLimit"].startswith('"rate";r=0;t=')


def test_keys_are_limited_apart_and_requests_without_a_valid_key_count_for_none(client, settings):
    settings.API_KEY_RATE_BURST = 1
    _, spent = ApiKey.generate("spent", rate_per_minute=1)
    _, other = ApiKey.generate("other", rate_per_minute=1)
    assert client.get(PLANS, headers=bearer(spent)).status_code == 200
    assert client.get(PLANS, headers=bearer(spent)).status_code == 429

    assert client.get(PLANS, headers=bearer("eg_nokey_" + "x" * 40)).status_code == 401
    assert client.get(PLANS, headers=bearer(other)).status_code == 200


def test_a_key_without_limits_is_not_counted(client):
    _, raw = ApiKey.generate("bench", **ApiKey.UNLIMITED)

    answers = [client.get(PLANS, headers=bearer(raw)) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert "RateLimit" not in answers[-1]


def test_the_daily_quota_counts_recommendations_and_a_refused_one_writes_nothing(client, plans, rules_only_catalog):
    _, raw = ApiKey.generate("app", daily_quota=2)

    answers = [recommend(client, raw) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert '"daily";r=1;t=' in answers[0]["RateLimit"]
    refused = answers[-1]
    assert "its 2 recommendations of the day" in refused.json()["detail"]
    assert 0 < int(refused["Retry-After"]) <= DAY_S
    assert Recommendation.objects.count() == 2
    assert client.get(PLANS, headers=bearer(raw)).status_code == 200  # reading is not metered


@pytest.mark.django_db(transaction=True)
def test_a_key_may_queue_only_its_cap_and_a_refused_request_writes_nothing(client, plans, rules_only_catalog,
                                                                           monkeypatch):
    monkeypatch.setattr("energy.actions.async_task", lambda *args, **kwargs: None)  # nothing runs them
    key, raw = ApiKey.generate("app", max_queued=2)

    answers = [recommend(client, raw, wait=False) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [202, 202, 429]
    refused = answers[-1]
    assert refused["Content-Type"] == "application/problem+json"
    assert "already has 2 recommendations queued or running" in refused.json()["detail"]
    assert refused["Retry-After"] == str(rate_limits.QUEUE_FULL_RETRY_AFTER_S)
    assert Recommendation.objects.filter(api_key=key).count() == 2

    Recommendation.objects.filter(pk=answers[0].json()["id"]).update(status=Recommendation.Status.SUCCEEDED)
    assert recommend(client, raw, wait=False).status_code == 202  # one finished: room for one more
    _, other = ApiKey.generate("other", max_queued=2)
    assert recommend(client, other, wait=False).status_code == 202  # another key's queue is its own


PER_PROCESS = 60
BURST = 100  # more than one process asks for, less than both do
WORKLOAD = """
import sys, time
import django
django.setup()
from energy import rate_limits
from energy.checks import check_api_key_limits
from energy.models import ApiKey
key = ApiKey.objects.get(pk=int(sys.argv[2]))
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))  # both start together
print(sum(rate_limits.check(key, metered=True).refused_by is None for _ in range({per_process})))
"""


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_one_bucket_on_the_database_cache():
    # One a minute: no token comes back during the test, so exactly the burst is let in.
    key, _ = ApiKey.generate("shared", rate_per_minute=1, daily_quota=0)
    start_at = str(time.time() + 4)
    env = {**os.environ, **database_env(), "DJANGO_SETTINGS_MODULE": "config.settings",
           "API_KEY_RATE_BURST": str(BURST)}
    env.pop("REDIS_URL", None)
    workers = [subprocess.Popen([sys.executable, "-c", WORKLOAD.format(per_process=PER_PROCESS), start_at, str(key.pk)],
                                cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    results = [worker.communicate(timeout=120) for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], results
    assert sum(int(out) for out, _ in results) == BURST  # each request counted: none let in twice
    caches["default"].clear()


def test_a_cache_that_is_down_lets_requests_in(client, settings):
    key, raw = ApiKey.generate("app", rate_per_minute=1)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0"}}  # nothing listens there

    assert rate_limits.check(key, metered=True) is None
    assert client.get(PLANS, headers=bearer(raw)).status_code == 200


def test_the_command_sets_a_keys_own_limits():
    out = StringIO()
    call_command("create_api_key", "batch", "--rate-per-minute", "30", "--daily-quota", "0", stdout=out)

    key = ApiKey.objects.get(key_hash=hash_api_key(out.getvalue().splitlines()[-1]))
    assert (key.rate_per_minute, key.daily_quota, key.max_queued) == (30, 0, None)
    with pytest.raises(CommandError, match="--max-queued must be 0"):
        call_command("create_api_key", "batch", "--max-queued", "-1", stdout=StringIO())


def test_only_a_superuser_sets_a_keys_own_limits_in_the_admin(client, operator, django_user_model):
    form = {"name": "laptop", "scopes": ["recommend", "read"], "expires_at_0": "", "expires_at_1": "", "active": "on",
            "rate_per_minute": "0", "daily_quota": "0", "max_queued": "0"}
    operator.is_staff = True
    operator.save()
    client.force_login(operator)
    client.post("/admin/energy/apikey/add/", form)
    root = django_user_model.objects.create_superuser("root", "root@example.com", "a long passphrase 7")
    client.force_login(root)
    client.post("/admin/energy/apikey/add/", {**form, "name": "root's"})

    by_operator, by_root = ApiKey.objects.get(name="laptop"), ApiKey.objects.get(name="root's")
    assert (by_operator.rate_per_minute, by_operator.daily_quota, by_operator.max_queued) == (None, None, None)
    assert (by_root.rate_per_minute, by_root.daily_quota, by_root.max_queued) == (0, 0, 0)


def test_a_limit_setting_that_cannot_be_is_refused_at_start_up(settings):
    assert check_api_key_limits(None) == []
    settings.API_KEY_DAILY_QUOTA = -1
    settings.API_KEY_RATE_BURST = 0

    messages = [error.msg for error in check_api_key_limits(None)]

    assert messages == ["API_KEY_DAILY_QUOTA must be 0 (no limit) or more, not -1",
                        "API_KEY_RATE_BURST must be 1 or more, not 0"]
