import pytest
from django.core.management import CommandError

from evaluation.models import Slot, SlotChange


@pytest.mark.django_db
def test_it_refuses_a_user_without_the_permission(switch_model, staff, rules_only_catalog, spare_rules_model):
    with pytest.raises(CommandError, match="staff may not switch models"):
        switch_model("fast", "builtin/rules-spare", "--reason", "try", "--user", "staff")

    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    assert not SlotChange.objects.exists()
