import pytest
from django.contrib.auth import get_user_model


@pytest.mark.django_db
def test_it_lets_the_operator_run_the_catalog_but_not_edit_plans(seed_demo):
    seed_demo()

    operator = get_user_model().objects.get(username="operator")
    assert operator.is_staff
    assert not operator.is_superuser
    assert operator.has_perms(
        [
            "evaluation.switch_slot",
            "evaluation.add_aimodel",
            "evaluation.change_slot",
            "evaluation.delete_provider",
            "energy.view_plan",
            "energy.view_llmcall",
            "energy.add_apikey",
            "energy.change_apikey",
            "energy.view_apikey",
        ]
    )
    assert not operator.has_perm("energy.change_plan")
    assert not operator.has_perm("energy.delete_apikey")
