from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from energy.models import ApiKey, hash_api_key


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
