"""The provider admin pages: whether a provider's secret is set, never its value."""

import pytest

from evaluation.models import Provider

SECRET_VALUE = "sk-live-do-not-show-4f9c2e"


@pytest.mark.django_db
def test_it_says_the_secret_is_set_without_showing_it(admin_client, monkeypatch):
    monkeypatch.setenv("PROVIDER_KEY_SWITCHBOARD_TEST", SECRET_VALUE)
    provider = Provider.objects.create(name="remote", kind=Provider.Kind.OPENAI_COMPATIBLE,
                                       base_url="https://llm.example.com/v1", secret_env="PROVIDER_KEY_SWITCHBOARD_TEST")

    urls = ("/admin/evaluation/provider/", f"/admin/evaluation/provider/{provider.pk}/change/")
    pages = [admin_client.get(url) for url in urls]

    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert ">set<" in html
        assert SECRET_VALUE not in html


@pytest.mark.django_db
def test_it_names_the_missing_secret_variable(admin_client, monkeypatch):
    monkeypatch.delenv("PROVIDER_KEY_SWITCHBOARD_MISSING", raising=False)
    Provider.objects.create(name="remote", kind=Provider.Kind.OPENAI_COMPATIBLE, base_url="https://llm.example.com/v1",
                            secret_env="PROVIDER_KEY_SWITCHBOARD_MISSING")

    html = admin_client.get("/admin/evaluation/provider/").content.decode()

    assert "missing: PROVIDER_KEY_SWITCHBOARD_MISSING" in html
