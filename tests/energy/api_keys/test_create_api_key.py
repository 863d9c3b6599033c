from io import StringIO

import pytest
from django.core.management import call_command

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
