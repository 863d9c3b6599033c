import pytest

from evaluation.models import Slot, SlotChange


@pytest.mark.django_db
def test_it_points_the_slots_at_the_embedded_model_and_the_rules_engine_with_an_audit_row(seed_demo):
    seed_demo()

    assert dict(Slot.objects.values_list("name", "model__key")) == {
        "fast": "local/gemma-3-270m",
        "accurate": "builtin/rules",
        "exact": "builtin/rules",
    }
    changes = SlotChange.objects.order_by("slot__name")
    assert [(c.slot.name, c.from_model, c.to_model.key, c.acting_user, c.reason) for c in changes] == [
        ("accurate", None, "builtin/rules", None, "initial seed"),
        ("exact", None, "builtin/rules", None, "initial seed"),
        ("fast", None, "local/gemma-3-270m", None, "initial seed"),
    ]
