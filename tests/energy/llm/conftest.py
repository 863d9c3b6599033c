import pytest

from tests.energy.llm.streams import CLOUDFLARE_SECRET, OPENAI_SECRET


@pytest.fixture(autouse=True)
def provider_secrets(monkeypatch):
    monkeypatch.setenv("TEST_OPENAI_KEY", OPENAI_SECRET)
    monkeypatch.setenv("TEST_CF_TOKEN", CLOUDFLARE_SECRET)
