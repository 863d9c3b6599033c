import pytest

from evaluation.models import Provider


@pytest.mark.django_db
def test_it_names_the_missing_secret_variable(admin_client, monkeypatch):
    monkeypatch.delenv("SWITCHBOARD_MISSING_KEY", raising=False)
    Provider.objects.create(name="remote", kind=Provider.Kind.OPENAI_COMPATIBLE, base_url="https://llm.example.com/v1",
                            secret_env="SWITCHBOARD_MISSING_KEY")

    html = admin_client.get("/admin/evaluation/provider/").content.decode()

    assert "missing: SWITCHBOARD_MISSING_KEY" in html
