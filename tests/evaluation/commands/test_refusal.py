import pytest
from django.core.management import CommandError

from evaluation.models import AIModel, Slot


@pytest.mark.django_db
def test_it_fails_with_the_reason_of_a_refusal(switch_model, rules_only_catalog, spare_rules_model):
    AIModel.objects.filter(pk=spare_rules_model.pk).update(status=AIModel.Status.DISABLED)

    with pytest.raises(CommandError, match="builtin/rules-spare is disabled") as refused:
        switch_model("fast", "builtin/rules-spare", "--reason", "try")

    assert refused.value.returncode == 1
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
