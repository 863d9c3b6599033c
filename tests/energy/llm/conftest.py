import pytest

from tests.energy.llm.streams import CLOUDFLARE_SECRET, OPENAI_SECRET


@pytest.fixture(autouse=True)
def provider_secrets(monkeypatch):
    monkeypatch.setenv("PROVIDER_KEY_TEST_OPENAI", OPENAI_SECRET)
    monkeypatch.setenv("PROVIDER_KEY_TEST_CF", CLOUDFLARE_SECRET)
