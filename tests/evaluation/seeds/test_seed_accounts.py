"""seed_demo's accounts: the demo users, their groups' permissions, and the demo API key. Demo
users get a random password per install, printed once; or DEMO_PASSWORD, never printed."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.forms.models import model_to_dict

from energy.models import ApiKey, hash_api_key


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


@pytest.mark.django_db
def test_it_lets_the_operator_run_the_catalog_but_not_edit_plans(seed_demo):
    seed_demo()

    operator = get_user_model().objects.get(username="operator")
    assert operator.is_staff
    assert not operator.is_superuser
    assert operator.has_perms(
        [
            "evaluation.switch_slot",
            "evaluation.add_aimodel",
            "evaluation.change_slot",
            "evaluation.delete_provider",
            "energy.view_plan",
            "energy.view_llmcall",
            "energy.add_apikey",
            "energy.change_apikey",
            "energy.view_apikey",
        ]
    )
    assert not operator.has_perm("energy.change_plan")
    assert not operator.has_perm("energy.delete_apikey")


@pytest.mark.django_db
def test_it_lets_product_staff_look_but_not_switch_or_change(seed_demo):
    seed_demo()

    staff = get_user_model().objects.get(username="staff")
    assert staff.is_staff
    assert not staff.is_superuser
    assert staff.has_perms(["evaluation.view_slot", "evaluation.view_benchmarkrun", "energy.view_plan"])
    assert not staff.has_perm("evaluation.switch_slot")
    assert not staff.has_perm("evaluation.change_slot")
    assert not staff.has_perm("energy.add_apikey")
    # Which model served each request would unblind their ratings (issue 14, 4).
    assert not staff.has_perm("energy.view_recommendation")
    assert not staff.has_perm("energy.view_llmcall")
    # Nor may they read the catalog's models, whose quality figures move with each rating.
    assert not staff.has_perm("evaluation.view_aimodel")


@pytest.mark.django_db
def test_it_prints_a_working_api_key_as_the_last_line_and_stores_only_its_hash(seed_demo):
    output = seed_demo()

    assert output[-1].startswith("API key: ")
    raw = output[-1].removeprefix("API key: ")
    key = ApiKey.objects.get(key_hash=hash_api_key(raw))
    assert key.name == "demo"
    assert not any(raw in str(value) for value in model_to_dict(key).values())
    assert raw not in key.key_hash


@pytest.mark.django_db
def test_it_names_the_existing_key_on_a_rerun_without_printing_a_secret(seed_demo):
    raw = seed_demo()[-1].removeprefix("API key: ")

    output = seed_demo()

    key = ApiKey.objects.get()
    text = "\n".join(output)
    assert key.prefix in output[-1]
    assert "create_api_key" in output[-1]
    assert raw not in text
    assert key.key_hash not in text
    assert not any(line.startswith("API key: ") for line in output)
