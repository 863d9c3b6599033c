import pytest

from evaluation.models import Slot, SlotChange


@pytest.mark.django_db
def test_it_switches_as_a_user_allowed_to_and_audits_them(switch_model, operator, rules_only_catalog, spare_rules_model):
    switch_model("fast", "builtin/rules-spare", "--reason", "try", "--user", "operator")

    assert Slot.objects.get(name="fast").model == spare_rules_model
    assert SlotChange.objects.get().acting_user == operator
