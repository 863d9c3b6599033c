import pytest
from django.contrib.auth import authenticate


@pytest.mark.django_db
def test_it_takes_the_password_from_the_environment_and_does_not_print_it(seed_demo, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "correct-horse-battery")

    output = "\n".join(seed_demo())

    assert authenticate(username="operator", password="correct-horse-battery") is not None
    assert "correct-horse-battery" not in output
    assert "DEMO_PASSWORD" in output
