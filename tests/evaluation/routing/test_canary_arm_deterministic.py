import pytest

from evaluation.catalog.routes import active_route
from evaluation.models import Slot
from tests.evaluation.routing.conftest import keys


@pytest.mark.django_db
def test_it_puts_the_same_request_key_on_the_same_arm_every_time(slots, rules_model):
    Slot.objects.filter(name="fast").update(challenger=rules_model, challenger_share=50)

    for request_key in (f"req-{n}" for n in range(20)):
        first, again = active_route("fast", request_key), active_route("fast", request_key)
        assert first.arms == again.arms
        assert keys(first.chain("narrative")) == keys(again.chain("narrative"))
        served = "builtin/rules" if first.arms["fast"] == "challenger" else "test/rules-a"
        assert keys(first.chain("narrative"))[0] == served
