import pytest
from django.forms.models import model_to_dict

from energy.models import ApiKey, hash_api_key


@pytest.mark.django_db
def test_it_prints_a_working_api_key_as_the_last_line_and_stores_only_its_hash(seed_demo):
    output = seed_demo()

    assert output[-1].startswith("API key: ")
    raw = output[-1].removeprefix("API key: ")
    key = ApiKey.objects.get(key_hash=hash_api_key(raw))
    assert key.name == "demo"
    assert not any(raw in str(value) for value in model_to_dict(key).values())
    assert raw not in key.key_hash
