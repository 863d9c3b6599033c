"""The cache every process shares without Redis (energy.shared_cache, the database cache): two
real processes at once never both win a claim, and a circuit breaker counts every outcome both
of them record (atomic counters, not a read-modify-write of one shared window)."""

import os
import subprocess
import sys
import time

import pytest
from django.core.cache import cache, caches

from energy.llm.breaker import BreakerConfig, CircuitBreaker
from energy.shared_cache import SharedDatabaseCache
from tests.conftest import BASE_DIR, database_env

PER_PROCESS = 60
MODEL = "shared/model"
CONFIG = BreakerConfig(window=4 * PER_PROCESS, min_calls=10 * PER_PROCESS)  # counts everything, never opens
WORKLOAD = f"""
import os, sys, time
import django
django.setup()
from django.core.cache import cache, caches
from energy.llm.breaker import BreakerConfig, CircuitBreaker, Permit
breaker = CircuitBreaker(BreakerConfig(window={CONFIG.window}, min_calls={CONFIG.min_calls}))
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))  # both start together
won = 0
for i in range({PER_PROCESS}):
    breaker.record(Permit("{MODEL}"), failed=i % 3 == 0)
    won += cache.add(f"claim:{{i}}", os.getpid(), timeout=60)
print(won)
"""


@pytest.mark.django_db(transaction=True)
def test_two_processes_win_each_claim_once_and_count_every_outcome():
    assert isinstance(caches["default"], SharedDatabaseCache) or "REDIS_URL" in os.environ
    cache.clear()
    start_at = str(time.time() + 4)
    env = {**os.environ, **database_env()}
    workers = [subprocess.Popen([sys.executable, "-c", WORKLOAD, start_at], cwd=BASE_DIR, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [worker.communicate(timeout=120) for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], results
    assert sum(int(out) for out, _ in results) == PER_PROCESS  # each claim won by exactly one
    calls, failures = CircuitBreaker(CONFIG)._window(MODEL)
    assert calls == 2 * PER_PROCESS
    assert failures == 2 * len(range(0, PER_PROCESS, 3))
    cache.clear()


@pytest.mark.django_db
def test_incr_and_add_keep_their_meaning():
    assert cache.add("counter", 0, timeout=None)
    assert not cache.add("counter", 5, timeout=None)
    assert [cache.incr("counter") for _ in range(3)] == [1, 2, 3]
    with pytest.raises(ValueError, match="not found"):
        cache.incr("no-such-counter")
    cache.set("expired", 1, timeout=-1)
    assert cache.add("expired", 2, timeout=60)  # an expired row is free to claim
    assert cache.get("expired") == 2
