"""The shared cast of test data: an API client's key, a handful of plans, the model catalogs,
and a real django-q2 cluster for the tests that need one.

The named cast, for every suite (prefer these to a local copy):

- users: `operator` (Operators: may switch slots and run benchmarks) and `staff` (Product staff:
  may look, not switch); `operator_headers` / `staff_headers` are API keys acting for them;
  `auth_headers` is a key acting for no user (Alice's).
- rules-engine models (healthy, instant, offline): `rules_model` (builtin/rules), `rules_a`
  (test/rules-a), `rules_b` (test/rules-b, *the* second rules model), `spare_rules_model`
  (builtin/rules-spare, alias `rules-spare`).
- chat models: `remote_model` (OpenAI-compatible at REMOTE_CHAT_URL, mock it with httpx_mock) and
  `unreachable_model` (OpenAI-compatible on a server that is down: every call and probe fails).
- catalogs: `rules_only_catalog`, `remote_catalog`."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.cache import cache
from django.db import connection

from energy import shutdown
from energy.models import ApiKey, Plan
from evaluation.models import AIModel, Provider, Slot
from evaluation.seeds.accounts import OPERATORS, PRODUCT_STAFF, seed_groups

BASE_DIR = Path(__file__).resolve().parent.parent
TDU = {"tdu_fixed": Decimal("4.39"), "tdu_rate_cents": Decimal("4.8")}


@pytest.fixture(scope="session")
def engine_url() -> Iterator[str]:
    """One real inference engine for the session's tests that call the embedded model."""
    from tests.engine_server import running_engine

    with running_engine() as url:
        yield url


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """A Redis server's URL: REDIS_URL's when the suite runs on Redis, else a redis-server of the
    session's own (Debian's package, which .ci/run installs). Without either the tests that need
    one skip, unless REDIS_TESTS=required."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("REDIS_TESTS") == "required":
            pytest.fail(f"REDIS_TESTS=required but {message}", pytrace=False)
        pytest.skip(message)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    client = redis.Redis.from_url(url)
    for _ in range(100):
        with contextlib.suppress(redis.ConnectionError):
            if client.ping():
                break
        time.sleep(0.05)
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def engine(engine_url, settings) -> str:
    """The app calls the session's engine."""
    settings.ENGINE_URL = engine_url
    return engine_url


@pytest.fixture
def api_key() -> tuple[ApiKey, str]:
    """Alice's key and its raw value."""
    return ApiKey.generate("alice")


@pytest.fixture
def auth_headers(api_key) -> dict[str, str]:
    _, raw = api_key
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def plans() -> dict[str, Plan]:
    """Five plans that differ in exactly the ways the hard constraints look at."""
    return {
        "cheap": Plan.objects.create(
            provider="Lone Star Power", name="Cheap 12", energy_rate_cents=Decimal("9.0"), base_fee=Decimal("4.95"),
            renewable_pct=0, contract_months=12, early_termination_fee=Decimal("150"), **TDU,
        ),
        "long": Plan.objects.create(
            provider="Lone Star Power", name="Secure 36", energy_rate_cents=Decimal("8.1"), base_fee=Decimal("4.95"),
            renewable_pct=10, contract_months=36, early_termination_fee=Decimal("295"), **TDU,
        ),
        "green": Plan.objects.create(
            provider="Prairie Wind Power", name="Wind 100 Flex", energy_rate_cents=Decimal("14.2"),
            renewable_pct=100, contract_months=0, **TDU,
        ),
        "tiered": Plan.objects.create(
            provider="Pecan Street Energy", name="Two-Step 12",
            tiers=[{"up_to_kwh": 1000, "cents": "10.5"}, {"up_to_kwh": None, "cents": "14.5"}],
            renewable_pct=20, contract_months=12, early_termination_fee=Decimal("150"), **TDU,
        ),
        "credit": Plan.objects.create(
            provider="Gulf Coast Electric", name="Coastal Credit 6", energy_rate_cents=Decimal("14.8"),
            base_fee=Decimal("9.95"), bill_credit=Decimal("100"), credit_min_kwh=Decimal("1000"),
            credit_max_kwh=Decimal("2000"), renewable_pct=50, contract_months=6,
            early_termination_fee=Decimal("75"), **TDU,
        ),
    }


@pytest.fixture
def rules_model() -> AIModel:
    provider = Provider.objects.create(name="builtin", kind=Provider.Kind.RULES)
    return AIModel.objects.create(
        key="builtin/rules", display_name="Rules engine", provider=provider, provider_model="rules",
        prompt_style=AIModel.PromptStyle.RULES,
    )


@pytest.fixture
def rules_only_catalog(rules_model) -> dict[str, Slot]:
    """Both slots on the rules engine: no request ever reaches a language model."""
    return {name: Slot.objects.create(name=name, model=rules_model) for name in ("fast", "accurate")}


REMOTE_BASE_URL = "http://testserver-llm.local/v1"
REMOTE_CHAT_URL = f"{REMOTE_BASE_URL}/chat/completions"
REMOTE_SECRET_ENV = "PROVIDER_KEY_TEST_REMOTE"


@pytest.fixture
def remote_model(monkeypatch) -> Iterator[AIModel]:
    """A chat model behind an OpenAI-compatible server (mock it with `httpx_mock` at REMOTE_CHAT_URL).
    Its breaker starts closed: breakers live in the cache, which under Redis outlives each test's
    transaction, so one test's failed calls would otherwise open the circuit for the next."""
    monkeypatch.setenv(REMOTE_SECRET_ENV, "sk-test-remote")
    cache.clear()
    provider = Provider.objects.create(
        name="remote", kind=Provider.Kind.OPENAI_COMPATIBLE, base_url=REMOTE_BASE_URL, secret_env=REMOTE_SECRET_ENV,
        connect_timeout_s=1, read_timeout_s=2,
    )
    yield AIModel.objects.create(
        key="remote/chat-mini", display_name="Remote chat mini", provider=provider, provider_model="chat-mini",
        prompt_style=AIModel.PromptStyle.CHAT, price_input_per_mtok=Decimal("0.15"),
        price_output_per_mtok=Decimal("0.60"),
    )
    cache.clear()


@pytest.fixture
def remote_catalog(remote_model, rules_model) -> dict[str, Slot]:
    """The fast slot on the remote model, the accurate slot on the rules engine."""
    return {
        "fast": Slot.objects.create(name="fast", model=remote_model),
        "accurate": Slot.objects.create(name="accurate", model=rules_model),
    }


def database_env() -> dict[str, str]:
    """Environment that points another process at the test database."""
    settings = connection.settings_dict
    if os.environ.get("DATABASE_URL"):
        user, password = quote(settings["USER"] or "", safe=""), quote(settings["PASSWORD"] or "", safe="")
        host, port = settings["HOST"] or "localhost", settings["PORT"] or 5432
        return {"DATABASE_URL": f"postgres://{user}:{password}@{host}:{port}/{settings['NAME']}"}
    return {"SQLITE_PATH": str(settings["NAME"])}


@dataclass
class Cluster:
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        """What the cluster printed, to explain a failure."""
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def qcluster(transactional_db, tmp_path) -> Iterator[Cluster]:
    """A real `manage.py qcluster` on the test database; stopped however the test ends."""
    env = {**os.environ, **database_env(), "Q_POLL_S": "0.1", "Q_WORKERS": "1"}
    log_path = tmp_path / "qcluster.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"], cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        yield Cluster(process=process, log_path=log_path)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def stop_cluster(cluster: Cluster) -> None:
    """SIGTERM for a clean stop; then SIGKILL for the process group, in case it lingers or left children behind."""
    if cluster.process.poll() is None:
        cluster.process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            cluster.process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(cluster.process.pid, signal.SIGKILL)
    cluster.process.wait(timeout=5)


@pytest.fixture
def start_qcluster(transactional_db, tmp_path) -> Iterator[Callable[..., Cluster]]:
    """Start real `manage.py qcluster` processes on the test database, each in a process group of
    its own (so a test may `kill -9` a whole cluster with os.killpg), with extra environment
    variables; every one is stopped however the test ends."""
    clusters: list[Cluster] = []

    def start(**extra_env: str) -> Cluster:
        env = {**os.environ, **database_env(), "Q_POLL_S": "0.1", "Q_WORKERS": "1", **extra_env}
        log_path = tmp_path / f"qcluster-{len(clusters) + 1}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "qcluster"], cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        clusters.append(Cluster(process=process, log_path=log_path))
        return clusters[-1]

    try:
        yield start
    finally:
        for cluster in clusters:
            stop_cluster(cluster)


def rules_kind_model(key: str, provider: Provider) -> AIModel:
    """A model served by the rules engine: healthy, instant and offline."""
    return AIModel.objects.create(key=key, display_name=key, provider=provider, provider_model="rules",
                                  prompt_style=AIModel.PromptStyle.RULES)


@pytest.fixture
def rules_a(rules_model) -> AIModel:
    """A rules-kind model besides builtin/rules: test/rules-a."""
    return rules_kind_model("test/rules-a", rules_model.provider)


@pytest.fixture
def rules_b(rules_model) -> AIModel:
    """The second rules-kind model: test/rules-b (a switch target or benchmark candidate that needs no network)."""
    return rules_kind_model("test/rules-b", rules_model.provider)


# Nothing listens on the discard port of the loopback interface: connecting is refused at once.
UNREACHABLE_BASE_URL = "http://127.0.0.1:9/v1"


@pytest.fixture
def unreachable_model() -> AIModel:
    """An enabled chat model whose server is down: it fails every live probe."""
    provider = Provider.objects.create(name="down", kind=Provider.Kind.OPENAI_COMPATIBLE, base_url=UNREACHABLE_BASE_URL,
                                       connect_timeout_s=0.5, read_timeout_s=1)
    return AIModel.objects.create(key="down/chat", display_name="Chat model on a server that is down", provider=provider,
                                  provider_model="chat", prompt_style=AIModel.PromptStyle.CHAT)


@pytest.fixture
def spare_rules_model(rules_model) -> AIModel:
    """A second rules-engine model (alias `rules-spare`): a switch target whose live probe needs no network."""
    return AIModel.objects.create(
        key="builtin/rules-spare", aliases=["rules-spare"], display_name="Rules engine (spare)",
        provider=rules_model.provider, provider_model="rules", prompt_style=AIModel.PromptStyle.RULES,
    )


def user_in_group(username: str, group_name: str) -> AbstractBaseUser:
    seed_groups()
    user = get_user_model().objects.create_user(username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def operator(db):
    """A user in Operators, who may switch slots."""
    return user_in_group("operator", OPERATORS)


@pytest.fixture
def staff(db):
    """A user in Product staff, who may read the catalog but not switch."""
    return user_in_group("staff", PRODUCT_STAFF)


def key_headers(user) -> dict[str, str]:
    """Authorization headers with a new API key that acts for the user."""
    _, raw = ApiKey.generate(f"{user.get_username()}'s key", user=user)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def operator_headers(operator) -> dict[str, str]:
    """An API key that acts for the operator, who may switch slots and run benchmarks."""
    return key_headers(operator)


@pytest.fixture
def staff_headers(staff) -> dict[str, str]:
    """An API key that acts for a product-staff user, who may only look."""
    return key_headers(staff)


@pytest.fixture
def worker_not_stopping():
    """A worker process that has not been asked to stop, and is not left asked to stop after the test."""
    shutdown.reset()
    yield
    shutdown.reset()
