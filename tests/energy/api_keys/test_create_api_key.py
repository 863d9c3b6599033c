"""`manage.py create_api_key`: a new, distinct key for a valid name (optionally acting for a user), shown
once and stored only as a hash beyond its public prefix."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from energy.models import ApiKey, hash_api_key


@pytest.mark.django_db
def test_it_prints_the_new_key_alone_on_the_last_line_after_a_shown_once_warning():
    out = StringIO()

    call_command("create_api_key", "mobile-app", stdout=out)

    *before, raw = out.getvalue().splitlines()
    assert "shown once" in before[-1]
    key = ApiKey.objects.get(key_hash=hash_api_key(raw))
    assert key.name == "mobile-app"
    assert raw.split() == [raw]


@pytest.mark.django_db
def test_it_makes_a_distinct_key_every_time_even_for_the_same_name():
    outputs = []
    for _ in range(2):
        out = StringIO()
        call_command("create_api_key", "ci", stdout=out)
        outputs.append(out.getvalue().splitlines()[-1])

    assert outputs[0] != outputs[1]
    assert ApiKey.objects.filter(name="ci").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_it_refuses_a_blank_or_overlong_name(name):
    with pytest.raises(CommandError, match="NAME"):
        call_command("create_api_key", name)

    assert not ApiKey.objects.exists()


@pytest.mark.django_db
def test_it_creates_a_key_that_acts_for_the_named_user():
    alice = get_user_model().objects.create_user("alice")
    out = StringIO()

    call_command("create_api_key", "ops-cli", "--user", "alice", stdout=out)

    raw = out.getvalue().splitlines()[-1]
    assert ApiKey.objects.get(key_hash=hash_api_key(raw)).user == alice


@pytest.mark.django_db
def test_it_refuses_an_unknown_user_and_creates_nothing():
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("create_api_key", "ops-cli", "--user", "nobody", stdout=StringIO())
    assert not ApiKey.objects.exists()


@pytest.mark.django_db
def test_it_stores_no_part_of_the_secret_beyond_the_public_prefix():
    out = StringIO()

    call_command("create_api_key", "partner", stdout=out)

    raw = out.getvalue().splitlines()[-1]
    key = ApiKey.objects.get()
    secret_part = raw.removeprefix(f"eg_{key.prefix}_")
    assert len(secret_part) >= 40
    assert not any(secret_part in str(value) for value in model_to_dict(key).values())
    assert raw not in key.key_hash
