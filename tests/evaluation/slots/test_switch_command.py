"""manage.py switch_model: the shell's way to switch or roll back a slot."""

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evaluation.models import AIModel, Slot, SlotChange


@pytest.fixture
def switch_model() -> Callable[..., str]:
    """Run `manage.py switch_model` with the given arguments and return what it printed."""

    def run(*args: str) -> str:
        out = StringIO()
        call_command("switch_model", *args, stdout=out)
        return out.getvalue()

    return run


@pytest.mark.django_db
def test_it_switches_as_the_shell_operator_and_prints_the_change(switch_model, rules_only_catalog, spare_rules_model):
    output = switch_model("fast", "rules-spare", "--reason", "cheaper at night")

    assert output == "fast: builtin/rules -> builtin/rules-spare\n"
    assert Slot.objects.get(name="fast").model == spare_rules_model
    change = SlotChange.objects.get()
    assert (change.acting_user, change.reason, change.kind) == (None, "cheaper at night", "switch")


@pytest.mark.django_db
def test_it_switches_as_a_user_allowed_to_and_audits_them(switch_model, operator, rules_only_catalog, spare_rules_model):
    switch_model("fast", "builtin/rules-spare", "--reason", "try", "--user", "operator")

    assert Slot.objects.get(name="fast").model == spare_rules_model
    assert SlotChange.objects.get().acting_user == operator


@pytest.mark.django_db
def test_it_refuses_a_user_without_the_permission(switch_model, staff, rules_only_catalog, spare_rules_model):
    with pytest.raises(CommandError, match="staff may not switch models"):
        switch_model("fast", "builtin/rules-spare", "--reason", "try", "--user", "staff")

    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    assert not SlotChange.objects.exists()


@pytest.mark.django_db
def test_it_fails_with_the_reason_of_a_refusal(switch_model, rules_only_catalog, spare_rules_model):
    AIModel.objects.filter(pk=spare_rules_model.pk).update(status=AIModel.Status.DISABLED)

    with pytest.raises(CommandError, match="builtin/rules-spare is disabled") as refused:
        switch_model("fast", "builtin/rules-spare", "--reason", "try")

    assert refused.value.returncode == 1
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"


@pytest.mark.django_db
def test_it_names_the_unknown_model(switch_model, rules_only_catalog):
    with pytest.raises(CommandError, match="nobody/gpt-9"):
        switch_model("fast", "nobody/gpt-9", "--reason", "try")


@pytest.mark.django_db
def test_it_rolls_back_to_the_previous_model(switch_model, operator, rules_only_catalog, spare_rules_model):
    switch_model("fast", "builtin/rules-spare", "--reason", "try")

    output = switch_model("fast", "--rollback", "--reason", "undo", "--user", "operator")

    assert output == "fast: builtin/rules-spare -> builtin/rules\n"
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    rollback = SlotChange.objects.first()
    assert (rollback.kind, rollback.acting_user, rollback.reason) == ("rollback", operator, "undo")


@pytest.mark.django_db
def test_it_wants_either_a_model_or_rollback(switch_model, rules_only_catalog, spare_rules_model):
    with pytest.raises(CommandError, match="either MODEL_KEY or --rollback"):
        switch_model("fast", "builtin/rules-spare", "--rollback", "--reason", "undo")
    with pytest.raises(CommandError, match="either MODEL_KEY or --rollback"):
        switch_model("fast", "--reason", "undo")
