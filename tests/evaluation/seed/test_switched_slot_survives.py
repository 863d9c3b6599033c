import pytest

from evaluation.models import AIModel, Slot, SlotChange


@pytest.mark.django_db
def test_it_leaves_a_switched_slot_where_the_operator_put_it(seed_demo):
    seed_demo()
    Slot.objects.filter(name="fast").update(model=AIModel.objects.get(key="builtin/rules"))

    seed_demo()

    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    assert SlotChange.objects.count() == 3  # the initial seeds only
