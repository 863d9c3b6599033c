import pytest

from energy.llm.base import STAGES
from evaluation.catalog.routes import active_route
from evaluation.models import AIModel, Provider
from tests.evaluation.routing.conftest import keys


@pytest.mark.django_db
def test_it_skips_a_disabled_or_retired_model(slots):
    AIModel.objects.filter(key="test/rules-a").update(status=AIModel.Status.DISABLED)
    AIModel.objects.filter(key="test/rules-b").update(status=AIModel.Status.RETIRED)

    route = active_route("fast")

    for stage in STAGES:
        assert keys(route.chain(stage)) == ["builtin/rules"]


@pytest.mark.django_db
def test_it_skips_a_model_whose_provider_is_disabled(slots, rules_b):
    paused = Provider.objects.create(name="paused", kind=Provider.Kind.RULES, enabled=False)
    AIModel.objects.filter(pk=rules_b.pk).update(provider=paused)

    route = active_route("fast")

    assert keys(route.chain("narrative")) == ["test/rules-a", "builtin/rules"]
