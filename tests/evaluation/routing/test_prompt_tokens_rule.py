import pytest

from energy.pipeline.facts import compute_facts
from energy.pipeline.orchestrator import routing_signals
from energy.pipeline.stages import PlanScoring
from evaluation.catalog.routes import active_route
from evaluation.models import AIModel, Provider, Slot
from tests.energy.pipeline.conftest import OFFERS, make_inputs
from tests.evaluation.routing.conftest import keys

# A chat prompt for plan scoring is ~150 tokens with two plans and ~260 with five.
LONG_PROMPT_RULE = {"stage": "plan_scoring", "signal": "prompt_tokens", "above": 200, "slot": "accurate"}


@pytest.mark.django_db
@pytest.mark.parametrize(("plan_count", "chain"), [
    (2, ["remote/chat", "test/rules-b", "builtin/rules"]),
    (5, ["test/rules-b", "builtin/rules"]),
])
def test_it_sends_a_long_prompt_to_the_accurate_slot(slots, set_policy, plan_count, chain):
    provider = Provider.objects.create(name="remote", kind=Provider.Kind.OPENAI_COMPATIBLE, base_url="http://llm.invalid/v1")
    chat = AIModel.objects.create(key="remote/chat", display_name="Remote chat", provider=provider, provider_model="chat")
    Slot.objects.filter(name="fast").update(model=chat)
    set_policy(rules=[LONG_PROMPT_RULE])
    route = active_route("fast")
    facts = compute_facts(make_inputs(plans=tuple(OFFERS.values())[:plan_count]))

    signals = routing_signals(PlanScoring(), facts, {}, route)

    assert keys(route.chain("plan_scoring", signals)) == chain
    assert keys(route.chain("narrative", signals)) == ["remote/chat", "test/rules-b", "builtin/rules"]
