import pytest

from evaluation.models import AIModel


@pytest.mark.django_db
def test_it_disables_remote_models_whose_secret_is_missing(seed_demo, monkeypatch):
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)

    seed_demo()

    statuses = dict(AIModel.objects.values_list("key", "status"))
    remote = {key: status for key, status in statuses.items() if key.startswith(("workers-ai/", "openrouter/"))}
    assert len(remote) == 9
    assert set(remote.values()) == {"disabled"}
    assert statuses["local/gemma-3-270m"] == "enabled"
    assert statuses["builtin/rules"] == "enabled"
