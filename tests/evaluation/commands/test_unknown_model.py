import pytest
from django.core.management import CommandError


@pytest.mark.django_db
def test_it_names_the_unknown_model(switch_model, rules_only_catalog):
    with pytest.raises(CommandError, match="nobody/gpt-9"):
        switch_model("fast", "nobody/gpt-9", "--reason", "try")
