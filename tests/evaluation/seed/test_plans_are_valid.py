import pytest

from energy.models import Plan


@pytest.mark.django_db
def test_it_seeds_plans_whose_terms_validate(seed_demo):
    seed_demo()

    plans = list(Plan.objects.all())
    assert len(plans) >= 18
    for plan in plans:
        plan.full_clean()  # runs Plan.clean(), which builds and validates PlanTerms
        assert plan.terms() is not None
