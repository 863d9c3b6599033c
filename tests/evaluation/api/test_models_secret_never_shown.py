import pytest

from evaluation.models import Provider
from tests.conftest import REMOTE_SECRET_ENV


@pytest.mark.django_db(transaction=True)
async def test_it_says_whether_the_secret_is_set_but_never_shows_it(async_client, auth_headers, remote_model, monkeypatch):
    monkeypatch.setenv(REMOTE_SECRET_ENV, "sk-live-do-not-leak-4711")
    await Provider.objects.acreate(name="unset", kind=Provider.Kind.OPENAI_COMPATIBLE, base_url="http://unset.local/v1",
                                   secret_env="TEST_UNSET_LLM_KEY")
    monkeypatch.delenv("TEST_UNSET_LLM_KEY", raising=False)

    response = await async_client.get("/api/v1/models", headers=auth_headers)

    assert response.status_code == 200
    assert b"sk-live-do-not-leak-4711" not in response.content
    assert [m["secret_configured"] for m in response.json()] == [True]
