from io import StringIO

import pytest
from django.core.management import call_command

from energy.models import ApiKey


@pytest.mark.django_db
def test_it_makes_a_distinct_key_every_time_even_for_the_same_name():
    outputs = []
    for _ in range(2):
        out = StringIO()
        call_command("create_api_key", "ci", stdout=out)
        outputs.append(out.getvalue().splitlines()[-1])

    assert outputs[0] != outputs[1]
    assert ApiKey.objects.filter(name="ci").count() == 2
