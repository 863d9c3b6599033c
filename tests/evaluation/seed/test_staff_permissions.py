import pytest
from django.contrib.auth import get_user_model


@pytest.mark.django_db
def test_it_lets_product_staff_look_but_not_switch_or_change(seed_demo):
    seed_demo()

    staff = get_user_model().objects.get(username="staff")
    assert staff.is_staff
    assert not staff.is_superuser
    assert staff.has_perms(["evaluation.view_aimodel", "evaluation.view_slot", "energy.view_plan"])
    assert not staff.has_perm("evaluation.switch_slot")
    assert not staff.has_perm("evaluation.change_slot")
    assert not staff.has_perm("energy.add_apikey")
