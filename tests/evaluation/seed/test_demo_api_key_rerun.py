import pytest

from energy.models import ApiKey


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
