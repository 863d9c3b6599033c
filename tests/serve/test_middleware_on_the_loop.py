"""Under ASGI (config/asgi.py), Django's middleware hooks that need no database run on the event
loop: an API request makes no thread trip for them, yet every hook still does its job: the
security headers, CSRF, and a session saved at login (the one hook that does take the trip)."""

import re

import httpx
import pytest
from asgiref.sync import SyncToAsync, sync_to_async
from django.db import connections

from config.asgi import application
from energy.models import ApiKey

BASE_URL = "http://127.0.0.1"


def client(**kwargs) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url=BASE_URL, **kwargs)


@pytest.fixture(autouse=True)
async def close_connections():
    """The connections of the app's sync threads, and of the thread this test's own ORM calls ran
    on, are closed before the test database is dropped."""
    yield
    application.app.close_connections()
    await sync_to_async(connections.close_all)()


@pytest.fixture
def thread_trips(monkeypatch) -> list[str]:
    """The qualified names of the functions sent to a sync thread, in order."""
    trips: list[str] = []
    original = SyncToAsync.__call__

    async def counted(self, *args, **kwargs):
        trips.append(getattr(self.func, "__qualname__", type(self.func).__name__))
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counted)
    return trips


@pytest.mark.django_db(transaction=True)
async def test_an_api_request_takes_no_thread_trip_for_the_middleware_hooks(thread_trips):
    _, raw_key = await sync_to_async(ApiKey.generate)("loop")
    thread_trips.clear()
    async with client(headers={"Authorization": f"Bearer {raw_key}"}) as api:
        response = await api.get("/api/v1/plans")

    assert response.status_code == 200
    hooks = [name for name in thread_trips if "Middleware.process_request" in name or "Middleware.process_response" in name]
    assert hooks == []
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.django_db(transaction=True)
async def test_an_admin_login_through_the_asgi_app_saves_its_session_and_checks_csrf(django_user_model):
    await sync_to_async(django_user_model.objects.create_superuser)("ada", "ada@example.com", "a long passphrase 7")
    async with client(follow_redirects=False) as browser:
        page = await browser.get("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        form = {"username": "ada", "password": "a long passphrase 7", "next": "/admin/"}

        without_token = await browser.post("/admin/login/", data=form)
        logged_in = await browser.post("/admin/login/", data={**form, "csrfmiddlewaretoken": token},
                                       headers={"Referer": f"{BASE_URL}/admin/login/"})
        admin = await browser.get("/admin/")

    assert without_token.status_code == 403
    assert logged_in.status_code == 302, logged_in.text[:500]
    assert "sessionid" in browser.cookies
    assert admin.status_code == 200
    assert "ada" in admin.text
