import pytest

from evaluation.slots.actions import SwitchRefused, abort_canary, promote_canary, start_canary


@pytest.mark.django_db
def test_it_refuses_canary_actions_on_a_slot_that_does_not_exist(slots, rules_b, operator):
    with pytest.raises(SwitchRefused, match="no slot named 'turbo'"):
        start_canary("turbo", rules_b, 10, acting_user=operator, reason="try")
    with pytest.raises(SwitchRefused, match="no slot named 'turbo'"):
        promote_canary("turbo", acting_user=operator, reason="try")
    with pytest.raises(SwitchRefused, match="no slot named 'turbo'"):
        abort_canary("turbo", acting_user=operator, reason="try")
