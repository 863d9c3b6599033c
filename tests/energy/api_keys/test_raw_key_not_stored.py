from io import StringIO

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from energy.models import ApiKey


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
