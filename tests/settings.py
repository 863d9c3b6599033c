"""The product's settings, as the test suite runs them in-process: a random secret key (settings
refuse to load without one when DEBUG is off), and static URLs that need no `collectstatic`.
Processes the tests start with `config.settings` (the live server of the browser suite) get the
real manifest storage."""

import os
import secrets

os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

from config.settings import *  # noqa: F403
from config.settings import DATABASES, STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# The in-process tests create and drop their test database, which a pool's open connections
# would keep busy; the processes the tests start (bin/serve) pool as in production.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)

# The in-process tests write rows around the product (QuerySet.update, rolled-back transactions),
# which sends no signal: they read the rows on every request. tests/energy/records/test_local_copies.py
# and the live servers (bin/serve, the real settings) run with the copies on.
LOCAL_COPY_RECHECK_S = 0

# The hosts the tests' fake providers answer on (pytest-httpx's, the fault server's on loopback)
# are known, so that their error bodies reach the messages the tests read. Withholding is tested
# with the list emptied (tests/evaluation/catalog/test_provider_endpoints.py).
from config.settings import PROVIDER_KNOWN_HOSTS  # noqa: E402

PROVIDER_KNOWN_HOSTS = PROVIDER_KNOWN_HOSTS | {"127.0.0.1", "llm.test", "gateway.test", "testserver-llm.local"}

# Every API request of the suite is counted against its key's limits (energy/rate_limits.py), but
# the suite's keys send many requests: these never bind. tests/energy/api_keys/test_rate_limits.py
# sets low ones.
API_KEY_RATE_PER_MINUTE = 1_000_000
API_KEY_RATE_BURST = 10_000
API_KEY_DAILY_QUOTA = 1_000_000
API_KEY_MAX_QUEUED = 1_000
