import pytest

from evaluation.models import Slot, SlotChange


@pytest.mark.django_db
def test_it_rolls_back_to_the_previous_model(switch_model, operator, rules_only_catalog, spare_rules_model):
    switch_model("fast", "builtin/rules-spare", "--reason", "try")

    output = switch_model("fast", "--rollback", "--reason", "undo", "--user", "operator")

    assert output == "fast: builtin/rules-spare -> builtin/rules\n"
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    rollback = SlotChange.objects.first()
    assert (rollback.kind, rollback.acting_user, rollback.reason) == ("rollback", operator, "undo")
