import pytest

from evaluation.models import Slot, SlotChange


@pytest.mark.django_db
def test_it_switches_as_the_shell_operator_and_prints_the_change(switch_model, rules_only_catalog, spare_rules_model):
    output = switch_model("fast", "rules-spare", "--reason", "cheaper at night")

    assert output == "fast: builtin/rules -> builtin/rules-spare\n"
    assert Slot.objects.get(name="fast").model == spare_rules_model
    change = SlotChange.objects.get()
    assert (change.acting_user, change.reason, change.kind) == (None, "cheaper at night", "switch")
