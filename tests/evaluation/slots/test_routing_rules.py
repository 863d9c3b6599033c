"""Routing rules: a stage goes to another chain when a signal (eligible plans, prompt tokens) is
above the rule's threshold — on the Route itself, from the policy, and in the pipeline."""

import pytest
from asgiref.sync import async_to_sync

from energy.llm.base import ModelRef, Route, RouteRule
from energy.pipeline.facts import compute_facts
from energy.pipeline.orchestrator import routing_signals, run_pipeline
from energy.pipeline.stages import PlanScoring
from evaluation.catalog.routes import active_route
from evaluation.models import AIModel, Provider, Slot
from tests.energy.pipeline.conftest import OFFERS, ReplayingModel, make_inputs
from tests.evaluation.slots.routes import keys

FAST = ModelRef(key="test/rules-a", provider_kind="rules", prompt_style="rules")
ACCURATE = ModelRef(key="test/rules-b", provider_kind="rules", prompt_style="rules")
RULES = ModelRef(key="builtin/rules", provider_kind="rules", prompt_style="rules")
DEFAULT_CHAIN = (FAST, ACCURATE, RULES)
RULE_CHAIN = (ACCURATE, RULES)


def route_with(rule_stage: str) -> Route:
    chains = dict.fromkeys(("usage_summary", "plan_scoring", "narrative"), DEFAULT_CHAIN)
    rule = RouteRule(stage=rule_stage, signal="eligible_plans", above=3, chain=RULE_CHAIN)
    return Route(chains=chains, version="test", rules=(rule,))


@pytest.mark.parametrize(("eligible_plans", "chain"), [(2, DEFAULT_CHAIN), (3, DEFAULT_CHAIN), (4, RULE_CHAIN)])
def test_it_applies_a_rule_only_when_the_signal_is_above_its_threshold(eligible_plans, chain):
    route = route_with("plan_scoring")

    assert route.chain("plan_scoring", {"eligible_plans": eligible_plans, "prompt_tokens": 100}) == chain


def test_it_applies_a_rule_only_to_its_stage():
    route = route_with("plan_scoring")

    assert route.chain("narrative", {"eligible_plans": 10}) == DEFAULT_CHAIN


def test_it_applies_a_wildcard_rule_to_every_stage():
    route = route_with("*")

    assert route.chain("usage_summary", {"eligible_plans": 10}) == RULE_CHAIN
    assert route.chain("narrative", {"eligible_plans": 10}) == RULE_CHAIN


def test_it_ignores_rules_without_signals():
    assert route_with("plan_scoring").chain("plan_scoring") == DEFAULT_CHAIN


# A chat prompt for plan scoring is ~150 tokens with two plans and ~260 with five.
LONG_PROMPT_RULE = {"stage": "plan_scoring", "signal": "prompt_tokens", "above": 200, "slot": "accurate"}


@pytest.mark.django_db
@pytest.mark.parametrize(("plan_count", "chain"), [
    (2, ["remote/chat", "test/rules-b", "builtin/rules"]),
    (5, ["test/rules-b", "builtin/rules"]),
])
def test_it_sends_a_long_prompt_to_the_accurate_slot(routing_slots, set_policy, plan_count, chain):
    provider = Provider.objects.create(name="remote", kind=Provider.Kind.OPENAI_COMPATIBLE, base_url="http://llm.invalid/v1")
    chat = AIModel.objects.create(key="remote/chat", display_name="Remote chat", provider=provider, provider_model="chat")
    Slot.objects.filter(name="fast").update(model=chat)
    set_policy(rules=[LONG_PROMPT_RULE])
    route = active_route("fast")
    facts = compute_facts(make_inputs(plans=tuple(OFFERS.values())[:plan_count]))

    signals = routing_signals(PlanScoring(), facts, {}, route)

    assert keys(route.chain("plan_scoring", signals)) == chain
    assert keys(route.chain("narrative", signals)) == ["remote/chat", "test/rules-b", "builtin/rules"]


MANY_PLANS_RULE = {"stage": "plan_scoring", "signal": "eligible_plans", "above": 3, "slot": "accurate"}


@pytest.mark.django_db
@pytest.mark.parametrize(("plan_count", "scoring_model"), [(3, "test/rules-a"), (5, "test/rules-b")])
def test_it_scores_many_eligible_plans_on_the_accurate_slot(routing_slots, set_policy, plan_count, scoring_model):
    set_policy(rules=[MANY_PLANS_RULE])
    inputs = make_inputs(plans=tuple(OFFERS.values())[:plan_count])  # no constraints: every plan is eligible
    fake = ReplayingModel()

    result = async_to_sync(run_pipeline)(inputs, route=active_route("fast"), caller=fake)

    assert fake.asked("plan_scoring") == [scoring_model]
    assert result.models == {"usage_summary": "test/rules-a", "plan_scoring": scoring_model, "narrative": "test/rules-a"}
