import pytest

from evaluation.catalog.routes import active_route
from evaluation.models import Slot
from tests.evaluation.routing.conftest import keys


@pytest.mark.django_db
def test_it_serves_the_champion_when_the_share_is_zero(slots, rules_model):
    Slot.objects.filter(name="fast").update(challenger=rules_model, challenger_share=0)

    for request_key in (f"req-{n}" for n in range(50)):
        route = active_route("fast", request_key)
        assert route.arms["fast"] == "champion"
        assert keys(route.chain("narrative"))[0] == "test/rules-a"


@pytest.mark.django_db
def test_it_serves_the_champion_to_a_request_without_a_key(slots, rules_model):
    Slot.objects.filter(name="fast").update(challenger=rules_model, challenger_share=99)

    route = active_route("fast")

    assert route.arms == {"fast": "champion", "accurate": "champion"}
    assert keys(route.chain("narrative"))[0] == "test/rules-a"
