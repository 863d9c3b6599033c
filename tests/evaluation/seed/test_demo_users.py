"""Demo users: a random password per install, printed once; or DEMO_PASSWORD, never printed."""

import pytest
from django.contrib.auth import authenticate, get_user_model


def printed_password(output: list[str]) -> str:
    lines = [line for line in output if line.startswith("Password of new users: ")]
    assert len(lines) == 1, output
    return lines[0].removeprefix("Password of new users: ")


@pytest.fixture
def no_demo_password(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    monkeypatch.delenv("DEMO_PASSWORD_FILE", raising=False)


@pytest.mark.django_db
def test_it_creates_the_demo_users_with_a_random_password_and_prints_it_once(seed_demo, no_demo_password):
    output = seed_demo()
    password = printed_password(output)

    assert len(password) >= 16
    for username in ("operator", "staff", "admin"):
        assert authenticate(username=username, password=password) is not None
    assert authenticate(username="admin", password=password).is_superuser
    assert any("shown once" in line and "DEMO_PASSWORD" in line for line in output)

    rerun = "\n".join(seed_demo())
    assert password not in rerun
    assert "changepassword" in rerun
    assert authenticate(username="operator", password=password) is not None  # a re-run changes nothing


@pytest.mark.django_db
def test_it_generates_a_different_password_for_each_install(seed_demo, no_demo_password):
    first = printed_password(seed_demo())
    get_user_model().objects.all().delete()

    second = printed_password(seed_demo())

    assert first != second
    assert authenticate(username="staff", password=first) is None
    assert authenticate(username="staff", password=second) is not None


@pytest.mark.django_db
def test_it_takes_the_password_from_the_environment_and_does_not_print_it(seed_demo, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "correct-horse-battery")

    output = "\n".join(seed_demo())

    assert authenticate(username="operator", password="correct-horse-battery") is not None
    assert "correct-horse-battery" not in output
    assert "DEMO_PASSWORD" in output
