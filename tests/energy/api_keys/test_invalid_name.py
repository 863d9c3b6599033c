import pytest
from django.core.management import CommandError, call_command

from energy.models import ApiKey


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_it_refuses_a_blank_or_overlong_name(name):
    with pytest.raises(CommandError, match="NAME"):
        call_command("create_api_key", name)

    assert not ApiKey.objects.exists()
