"""Django settings. Everything that varies between machines comes from the environment
(see docs/configuration.md); the defaults run the whole product on one machine."""

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from energy.env import envbool, envfloat, envint, envsecret, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("ENERGY_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite files and collected static live here

DEBUG = envbool("DJANGO_DEBUG", False)
# A public key signs sessions and CSRF tokens that anyone can forge, so only DEBUG may fall back
# on it. `make run` generates a random key once in var/secret_key, which every later command of
# this checkout (manage.py included) reads when DJANGO_SECRET_KEY(_FILE) is not set.
INSECURE_DEV_SECRET_KEY = "insecure-dev-key-set-DJANGO_SECRET_KEY-in-production"
GENERATED_SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = (
    envsecret("DJANGO_SECRET_KEY")
    or (GENERATED_SECRET_KEY_FILE.read_text().strip() if GENERATED_SECRET_KEY_FILE.exists() else "")
    or (INSECURE_DEV_SECRET_KEY if DEBUG else "")
)
if not SECRET_KEY or (SECRET_KEY == INSECURE_DEV_SECRET_KEY and not DEBUG):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set to a random value when DJANGO_DEBUG is off; "
        f"`make run` generates one in {GENERATED_SECRET_KEY_FILE}."
    )
ALLOWED_HOSTS = [h for h in envstr("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in envstr("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI from its own static files, not from a CDN
    "django_q",
    "energy",
    "evaluation",
]

# Django's own classes; under ASGI their database-free hooks run on the event loop instead of a
# thread trip each (config/middleware.py, installed by config/asgi.py).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files under uvicorn with DEBUG off: compressed, with far-future caching for hashed names.
    "energy.static_files.AsyncWhiteNoiseMiddleware",
    # Request latency for /metrics: after WhiteNoise, so static files are not counted.
    "energy.metrics_middleware.request_metrics_middleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # 406 for an API request that accepts nothing its endpoint answers with.
    "energy.negotiation.negotiation_middleware",
    # RateLimit headers on every answer to a request counted against an API key's limits.
    "energy.rate_limit_headers.rate_limit_headers_middleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _pooled() -> bool:
    """Whether this process pools its PostgreSQL connections. Not in the django-q2 cluster: it
    forks its workers, and a pool (open sockets and its own threads) must not cross a fork; the
    cluster's processes connect per task as before."""
    return envbool("DATABASE_POOL", True) and sys.argv[1:2] != ["qcluster"]


def _database() -> dict:
    url = envstr("DATABASE_URL")
    if url:
        database = dj_database_url.parse(url, conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0))
        if database["ENGINE"] == "django.db.backends.postgresql" and _pooled():
            # Opening a PostgreSQL connection costs more than most requests' queries; a pool
            # (psycopg_pool, one per process) hands out open ones. It replaces CONN_MAX_AGE.
            database["CONN_MAX_AGE"] = 0
            database.setdefault("OPTIONS", {})["pool"] = {
                "min_size": envint("DATABASE_POOL_MIN_SIZE", 1),
                "max_size": envint("DATABASE_POOL_MAX_SIZE", 8),
                "timeout": envfloat("DATABASE_POOL_TIMEOUT_S", 10.0),
            }
        return database
    path = envstr("SQLITE_PATH", str(VAR_DIR / "db.sqlite3"))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # WAL lets readers proceed while one writer writes; IMMEDIATE takes the write
            # lock at BEGIN so two writers queue on the busy timeout instead of deadlocking
            # on a lock upgrade ("database is locked").
            "transaction_mode": "IMMEDIATE",
            "timeout": envint("SQLITE_BUSY_TIMEOUT_S", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        # Kept open by the thread that opened it (config/sync_threads.py): opening one per
        # request cost a cache hit 11 % of its time.
        "CONN_MAX_AGE": None,
        "TEST": {"NAME": envstr("SQLITE_TEST_PATH", str(VAR_DIR / "test_db.sqlite3"))},
    }


DATABASES = {"default": _database()}
# Long-lived threads per web process for the requests' ORM and sync work (config/sync_threads.py).
SYNC_THREADS = envint("SYNC_THREADS", 4)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Shared by every process on this machine (energy/shared_cache.py): breakers, provider
    # pauses, the response cache and single flight hold across uvicorn's workers and the cluster.
    CACHES = {"default": {
        "BACKEND": "energy.shared_cache.SharedDatabaseCache",
        "LOCATION": "energy_shared_cache",
        "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 20_000)},
    }}

# How often a process checks that its copies of the route, the plans and the API keys are
# current (energy/local_copies.py): a change reaches every process within this.
LOCAL_COPY_RECHECK_S = envfloat("LOCAL_COPY_RECHECK_S", 0.25)

# GET /metrics (Prometheus): for a scraper sending this token as a Bearer token, or from these
# networks (comma-separated CIDRs). Behind a proxy REMOTE_ADDR is the proxy's: use the token.
METRICS_TOKEN = envsecret("METRICS_TOKEN")
METRICS_ALLOWED_NETWORKS = envstr("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")

Q_CLUSTER = {
    "name": "energygenius",
    "workers": envint("Q_WORKERS", 2),
    # A benchmark unit or an async recommendation must finish well inside `timeout`;
    # `retry` must exceed `timeout` or django-q2 hands the same task to a second worker.
    "timeout": envint("Q_TIMEOUT_S", 300),
    "retry": envint("Q_TIMEOUT_S", 300) + 60,
    "max_attempts": 1,
    "ack_failures": True,
    "catch_up": False,
    "save_limit": 500,
    "poll": envfloat("Q_POLL_S", 0.2),
    "label": "Task queue",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
# Filled by `manage.py collectstatic` (`make run` does it).
STATIC_ROOT = Path(envstr("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Content-hashed names (cache-busting) plus gzip and Brotli copies that WhiteNoise serves.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Production behind HTTPS (docs/deploy.md): secure cookies, redirect to HTTPS and HSTS. The
# health check stays reachable over plain HTTP for load balancers and probes.
HTTPS = envbool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", HTTPS)
if envbool("DJANGO_BEHIND_TLS_PROXY", False):
    # Only behind a proxy that sets X-Forwarded-Proto itself and strips the client's.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
LOGIN_URL = "admin:login"

# --- The product's own settings -------------------------------------------------------
ENERGY_ROUTE_RESOLVER = envstr("ENERGY_ROUTE_RESOLVER", "evaluation.catalog.routes.active_route")
# The inference engine (llama.cpp's llama-server): one process serves the embedded model to every
# web process and worker over HTTP (docs/architecture.md, "The inference engine").
EMBEDDED_MODEL_PATH = envstr("EMBEDDED_MODEL_PATH")  # empty: assemble the packaged GGUF
ENGINE_BIN = envstr("ENGINE_BIN", str(BASE_DIR / "var" / "engine" / "bin" / "llama-server"))
ENGINE_HOST = envstr("ENGINE_HOST", "127.0.0.1")
ENGINE_PORT = envint("ENGINE_PORT", 8081)
# Where the app reaches the engine; another host's engine when set (then bin/serve starts none).
ENGINE_URL = envstr("ENGINE_URL", f"http://{ENGINE_HOST}:{ENGINE_PORT}").rstrip("/")
ENGINE_THREADS = envint("ENGINE_THREADS", 0)  # 0: one per core
# Requests decoded together (continuous batching); more wait in the engine's queue.
ENGINE_SLOTS = envint("ENGINE_SLOTS", 4)
ENGINE_CONTEXT_PER_SLOT = envint("ENGINE_CONTEXT_PER_SLOT", 2048)
# How long the engine's state (slots, queue, tokens/s) read by admission and health stays fresh.
ENGINE_STATE_TTL_S = envfloat("ENGINE_STATE_TTL_S", 0.25)
# Per-stage slow thresholds for the [PERF] warning, in milliseconds.
STAGE_SLOW_MS = {
    "usage_summary": envint("STAGE_SLOW_MS_USAGE_SUMMARY", 2000),
    "plan_scoring": envint("STAGE_SLOW_MS_PLAN_SCORING", 3000),
    "narrative": envint("STAGE_SLOW_MS_NARRATIVE", 4000),
}
# Benchmarks: a unit's lease (a worker silent for longer is presumed dead and the unit is
# requeued) and how many times a unit may be claimed before it is marked failed.
BENCHMARK_LEASE_S = envint("BENCHMARK_LEASE_S", 120)
BENCHMARK_MAX_ATTEMPTS = envint("BENCHMARK_MAX_ATTEMPTS", 3)
# A benchmark driver task hands over to a fresh task after this long, well inside Q_TIMEOUT_S.
BENCHMARK_DRIVER_BUDGET_S = envint("BENCHMARK_DRIVER_BUDGET_S", 180)
# Promotion gates: a benchmarked model goes into a slot from the decision matrix only if its
# route meets all three, unless an operator overrides them with a reason.
BENCHMARK_GATE_P95_MS = envint("BENCHMARK_GATE_P95_MS", 5000)
BENCHMARK_GATE_JSON_VALIDITY = envfloat("BENCHMARK_GATE_JSON_VALIDITY", 0.95)
BENCHMARK_GATE_QUALITY = envfloat("BENCHMARK_GATE_QUALITY", 0.8)
# Ratings: the share of successful live recommendations (percent) put in the raters' queue,
# and how many human ratings a model needs before they count in its quality figure.
RATING_LIVE_SAMPLE_PCT = envint("RATING_LIVE_SAMPLE_PCT", 10)
RATING_MIN_HUMAN = envint("RATING_MIN_HUMAN", 5)

# The tier (speed / balanced / cost, evaluation.seeds.routing) whose models the slots start on
# when a database is first seeded; any other value logs a warning and seeds balanced.
MODEL_TIER = envstr("MODEL_TIER", "balanced")
# The most a client may ask for in one month; more is a typo, not a household.
MAX_MONTHLY_KWH = envint("MAX_MONTHLY_KWH", 100_000)
# Resilience of remote model calls (energy/calls.py). Retries: attempts per call, full-jitter
# exponential backoff, and the longest Retry-After honoured (a longer one falls back at once).
LLM_MAX_ATTEMPTS = envint("LLM_MAX_ATTEMPTS", 3)
# Where providers' calls may go and which secrets they may carry (energy/llm/endpoints.py,
# docs/security.md): secret variables by name or prefix; hosts allowed plain http and private
# addresses (local engines); hosts whose error bodies may be quoted in error messages.
PROVIDER_SECRET_ENV_NAMES = frozenset(n.strip() for n in envstr(
    "PROVIDER_SECRET_ENV_NAMES", "OPENROUTER_API_KEY,OPENAI_API_KEY,CLOUDFLARE_API_TOKEN").split(",") if n.strip())
PROVIDER_SECRET_ENV_PREFIX = envstr("PROVIDER_SECRET_ENV_PREFIX", "PROVIDER_KEY_")
PROVIDER_LOCAL_HOSTS = frozenset(h.strip().lower().strip("[]") for h in envstr(
    "PROVIDER_LOCAL_HOSTS", "127.0.0.1,localhost,::1").split(",") if h.strip())
PROVIDER_KNOWN_HOSTS = frozenset(h.strip().lower() for h in envstr(
    "PROVIDER_KNOWN_HOSTS", "openrouter.ai,api.openai.com,api.cloudflare.com").split(",") if h.strip())
LLM_BACKOFF_BASE_S = envfloat("LLM_BACKOFF_BASE_S", 0.25)
LLM_BACKOFF_CAP_S = envfloat("LLM_BACKOFF_CAP_S", 4.0)
LLM_RETRY_AFTER_CAP_S = envfloat("LLM_RETRY_AFTER_CAP_S", 10.0)
# A 429 or 503 whose Retry-After is past LLM_RETRY_AFTER_CAP_S pauses every call to its provider
# (all requests, every process sharing the cache) for that long, but no longer than this: after
# it, the next call asks again.
LLM_RATE_LIMIT_MAX_PAUSE_S = envfloat("LLM_RATE_LIMIT_MAX_PAUSE_S", 60.0)
# No attempt, backoff or wait of a request may end after this; each call also stops at its
# provider's read timeout.
REQUEST_DEADLINE_S = envfloat("REQUEST_DEADLINE_S", 20.0)
# Circuit breaker per model: opens when at least BREAKER_FAILURE_RATE of its last BREAKER_WINDOW
# calls failed (given BREAKER_MIN_CALLS of them), stays open BREAKER_OPEN_S, then lets one probe
# call through; a probe's claim lapses after BREAKER_PROBE_TIMEOUT_S.
BREAKER_WINDOW = envint("BREAKER_WINDOW", 20)
BREAKER_MIN_CALLS = envint("BREAKER_MIN_CALLS", 5)
BREAKER_FAILURE_RATE = envfloat("BREAKER_FAILURE_RATE", 0.5)
BREAKER_OPEN_S = envfloat("BREAKER_OPEN_S", 30.0)
BREAKER_PROBE_TIMEOUT_S = envfloat("BREAKER_PROBE_TIMEOUT_S", 10.0)
# Serving: how long an answer is served from the response cache (0 turns the cache and the
# sharing of identical requests in flight off); the Retry-After of a 503 when every model of a
# stage failed; and how long a recommendation (or an upstream call) may stay unfinished before
# the reaper presumes its process dead and marks it failed. Keep the last above Q_TIMEOUT_S.
RESPONSE_CACHE_TTL_S = envint("RESPONSE_CACHE_TTL_S", 300)
RETRY_AFTER_ON_OUTAGE_S = envint("RETRY_AFTER_ON_OUTAGE_S", 10)
STALE_RECOMMENDATION_S = envint("STALE_RECOMMENDATION_S", 600)
# Per API key (energy/rate_limits.py, docs/api.md "Limits"): requests per minute with a burst
# (a token bucket in the shared cache), recommendations asked for per UTC day, and `wait=false`
# requests queued or running at once. An ApiKey may override each; 0 means no limit.
API_KEY_RATE_PER_MINUTE = envint("API_KEY_RATE_PER_MINUTE", 600)
API_KEY_RATE_BURST = envint("API_KEY_RATE_BURST", 100)
API_KEY_DAILY_QUOTA = envint("API_KEY_DAILY_QUOTA", 10_000)
API_KEY_MAX_QUEUED = envint("API_KEY_MAX_QUEUED", 20)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
