import pytest
from django.contrib.auth import authenticate


@pytest.mark.django_db
def test_it_creates_the_demo_users_with_the_default_password_and_says_so(seed_demo, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    monkeypatch.delenv("DEMO_PASSWORD_FILE", raising=False)

    output = "\n".join(seed_demo())

    for username in ("operator", "staff", "admin"):
        assert authenticate(username=username, password="demo-password-change-me") is not None
        assert username in output
    assert "demo-password-change-me" in output
    assert "DEMO_PASSWORD" in output
    assert authenticate(username="admin", password="demo-password-change-me").is_superuser
