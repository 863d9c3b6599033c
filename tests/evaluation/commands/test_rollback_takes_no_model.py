import pytest
from django.core.management import CommandError


@pytest.mark.django_db
def test_it_wants_either_a_model_or_rollback(switch_model, rules_only_catalog, spare_rules_model):
    with pytest.raises(CommandError, match="either MODEL_KEY or --rollback"):
        switch_model("fast", "builtin/rules-spare", "--rollback", "--reason", "undo")
    with pytest.raises(CommandError, match="either MODEL_KEY or --rollback"):
        switch_model("fast", "--reason", "undo")
