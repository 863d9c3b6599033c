import pytest

from evaluation.models import AIModel, Provider


@pytest.mark.django_db
def test_it_enables_remote_models_whose_secret_is_set_and_never_flips_them_later(seed_demo, monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-test")
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", "0123abcd")
    seed_demo()
    monkeypatch.delenv("OPENROUTER_API_KEY")

    seed_demo()

    assert set(AIModel.objects.filter(provider__name="openrouter").values_list("status", flat=True)) == {"enabled"}
    assert set(AIModel.objects.filter(provider__name="workers-ai").values_list("status", flat=True)) == {"disabled"}
    assert Provider.objects.get(name="workers-ai").account_id == "0123abcd"
