"""Where a provider's calls may go and which secret they carry (energy/llm/endpoints.py): a
provider may name only a variable declared for providers, and only an https address to a public
host (local engines excepted); changing either takes a permission of its own and leaves an audit
row; a row that names another variable anyway sends nothing; and error bodies from hosts that are
not known providers never reach the error messages operators and API keys read."""

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied

from energy.llm import openai_compatible
from energy.llm.base import ProviderHTTPError, ProviderNotConfigured, ProviderResponseError
from evaluation.catalog.actions import EditRefused, create_provider, edit_provider
from evaluation.models import CatalogChange, Provider
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENAI_SECRET, OPENROUTER

pytestmark = pytest.mark.django_db

COMPATIBLE = Provider.Kind.OPENAI_COMPATIBLE


def new_provider(**fields) -> Provider:
    return Provider(name=fields.pop("name", "candidate"), kind=COMPATIBLE, **fields)


@pytest.fixture
def openai_secret(monkeypatch):
    monkeypatch.setenv(OPENROUTER.secret_env, OPENAI_SECRET)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "a long passphrase 7")


@pytest.mark.parametrize("variable", ["DATABASE_URL", "DJANGO_SECRET_KEY", "REDIS_URL", "HOME", "PROVIDER_KEY_"])
def test_a_provider_may_not_name_a_variable_that_is_not_a_provider_secret(superuser, variable):
    with pytest.raises(EditRefused, match=f"secret_env: {variable} is not a provider secret variable"):
        create_provider(new_provider(base_url="https://openrouter.ai/api/v1", secret_env=variable),
                        acting_user=superuser, reason="try")

    assert not Provider.objects.filter(name="candidate").exists()
    assert not CatalogChange.objects.exists()


@pytest.mark.parametrize("variable", ["OPENROUTER_API_KEY", "CLOUDFLARE_API_TOKEN", "PROVIDER_KEY_VLLM"])
def test_a_declared_variable_or_one_with_the_prefix_is_accepted(superuser, variable):
    change = create_provider(new_provider(base_url="https://openrouter.ai/api/v1", secret_env=variable),
                             acting_user=superuser, reason="a new provider")

    assert Provider.objects.get(name="candidate").secret_env == variable
    assert change.after["secret_env"] == variable


@pytest.mark.parametrize(("url", "says"), [
    ("http://169.254.169.254/latest/meta-data/", "link-local, metadata or reserved"),
    ("http://metadata.google.internal/computeMetadata/v1/", "cloud metadata service"),
    ("https://[fe80::1]/v1", "link-local, metadata or reserved"),
    ("https://10.0.0.5/v1", "private or loopback address"),
    ("https://192.168.1.20/v1", "private or loopback address"),
    ("http://api.example.com/v1", "use https"),
    ("https://user:password@api.example.com/v1", "user name or password"),
    ("ftp://api.example.com/v1", "http(s) address"),
])
def test_an_address_that_is_not_public_https_is_refused(superuser, url, says):
    with pytest.raises(EditRefused, match="base_url: ") as refused:
        create_provider(new_provider(base_url=url), acting_user=superuser, reason="try")

    assert says in str(refused.value)
    assert not Provider.objects.filter(name="candidate").exists()


def test_a_local_engine_may_use_http_on_the_local_hosts_and_others_once_listed(superuser, settings):
    create_provider(new_provider(name="engine", base_url="http://127.0.0.1:8081/v1"), acting_user=superuser,
                    reason="local vLLM")
    with pytest.raises(EditRefused, match="PROVIDER_LOCAL_HOSTS"):
        create_provider(new_provider(name="lan", base_url="http://10.0.0.5:8000/v1"), acting_user=superuser, reason="lan")

    settings.PROVIDER_LOCAL_HOSTS = settings.PROVIDER_LOCAL_HOSTS | {"10.0.0.5"}
    create_provider(new_provider(name="lan", base_url="http://10.0.0.5:8000/v1"), acting_user=superuser, reason="lan")

    assert set(Provider.objects.filter(name__in=["engine", "lan"]).values_list("name", flat=True)) == {"engine", "lan"}


def test_even_a_listed_host_may_not_be_link_local(superuser, settings):
    settings.PROVIDER_LOCAL_HOSTS = settings.PROVIDER_LOCAL_HOSTS | {"169.254.169.254"}

    with pytest.raises(EditRefused, match="link-local"):
        create_provider(new_provider(base_url="http://169.254.169.254/"), acting_user=superuser, reason="try")


def test_changing_where_calls_go_takes_its_own_permission_and_is_audited(operator, superuser):
    provider = Provider.objects.create(name="remote", kind=COMPATIBLE, base_url="https://openrouter.ai/api/v1",
                                       secret_env="OPENROUTER_API_KEY")

    with pytest.raises(PermissionDenied, match=r"evaluation\.change_provider_endpoint"):
        edit_provider(provider, {"base_url": "https://llm.example.com/v1"}, acting_user=operator, reason="move")
    with pytest.raises(PermissionDenied, match=r"evaluation\.change_provider_endpoint"):
        edit_provider(provider, {"secret_env": "PROVIDER_KEY_OTHER"}, acting_user=operator, reason="rekey")
    edit_provider(provider, {"read_timeout_s": 12}, acting_user=operator, reason="slower model")
    change = edit_provider(provider, {"base_url": "https://llm.example.com/v1"}, acting_user=superuser, reason="move")

    provider.refresh_from_db()
    assert provider.base_url == "https://llm.example.com/v1"
    assert provider.read_timeout_s == 12
    assert (change.before, change.after) == ({"base_url": "https://openrouter.ai/api/v1"},
                                             {"base_url": "https://llm.example.com/v1"})
    assert change.acting_user == superuser
    assert CatalogChange.objects.count() == 2  # the timeout and the move; the refusals left nothing


def test_an_operator_may_not_create_a_provider_with_an_address_or_a_secret(operator):
    with pytest.raises(PermissionDenied, match=r"evaluation\.change_provider_endpoint"):
        create_provider(new_provider(base_url="https://openrouter.ai/api/v1", secret_env="OPENROUTER_API_KEY"),
                        acting_user=operator, reason="new")

    assert not Provider.objects.filter(name="candidate").exists()


async def test_a_row_that_names_another_variable_anyway_sends_nothing(httpx_mock, monkeypatch):
    """A row written before the rule, or by hand: the call is refused before any request."""
    monkeypatch.setenv("DATABASE_URL", "postgres://user:secret@db/energy")
    written_by_hand = dataclasses.replace(OPENROUTER, secret_env="DATABASE_URL")

    with pytest.raises(ProviderNotConfigured, match="DATABASE_URL is not a provider secret variable"):
        await openai_compatible.complete(written_by_hand, CHAT)

    assert httpx_mock.get_requests() == []


async def test_an_error_body_from_a_host_that_is_not_known_is_not_quoted(httpx_mock, settings, openai_secret):
    settings.PROVIDER_KNOWN_HOSTS = frozenset()
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=500, text="internal admin page: db password hunter2")

    with pytest.raises(ProviderHTTPError) as raised:
        await openai_compatible.complete(OPENROUTER, CHAT)

    assert "hunter2" not in str(raised.value)
    assert "HTTP 500" in str(raised.value)
    assert "not in PROVIDER_KNOWN_HOSTS" in str(raised.value)


async def test_a_stream_from_a_host_that_is_not_known_is_not_quoted_either(httpx_mock, settings, openai_secret):
    settings.PROVIDER_KNOWN_HOSTS = frozenset()
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=200,
                            headers={"content-type": "text/event-stream"}, text="data: secret page hunter2\n\n")

    with pytest.raises(ProviderResponseError) as raised:
        await openai_compatible.complete(OPENROUTER, CHAT)

    assert "hunter2" not in str(raised.value)


async def test_a_known_providers_explanation_is_still_quoted(httpx_mock, settings, openai_secret):
    settings.PROVIDER_KNOWN_HOSTS = frozenset({"llm.test"})
    httpx_mock.add_response(url=CHAT_URL, method="POST", status_code=500, json={"error": "upstream exploded"})

    with pytest.raises(ProviderHTTPError, match="HTTP 500: upstream exploded"):
        await openai_compatible.complete(OPENROUTER, CHAT)
