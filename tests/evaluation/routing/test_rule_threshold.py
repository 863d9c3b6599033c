import pytest

from energy.llm.base import ModelRef, Route, RouteRule

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
