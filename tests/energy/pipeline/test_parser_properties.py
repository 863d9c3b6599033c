"""Properties of the stage parsers: they never crash, and the rules engine's answers always pass."""

import contextlib
import dataclasses
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from energy.llm.base import ModelRef
from energy.pipeline.facts import compute_facts
from energy.pipeline.stages import STAGE_CLASSES, Narrative, PlanScoring, UsageSummary
from energy.pipeline.stages.base import OutputInvalid
from tests.energy.pipeline.conftest import OFFERS, make_inputs
from tests.energy.tariffs.strategies import plans as plan_terms

# Whatever a model answers, a parser either accepts it or rejects it with OutputInvalid, so the runner can fall back;
# any other exception would fail the whole request.
FACTS = compute_facts(make_inputs())
UPSTREAM = {"plan_scoring": {"ranking": list(FACTS.reference_ranking)}}
CHAT = ModelRef(key="test/chat", provider_kind="openai_compatible", prompt_style="chat")
COMPLETION = ModelRef(key="test/completion", provider_kind="llama_cpp", prompt_style="completion")
KEYS = st.sampled_from(["summary", "seasonal_pattern", "trend", "ranking", "plan_id", "score", "explanations", "why"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 50) | st.floats(allow_nan=False) | st.text(max_size=30)
    | st.sampled_from(["summer-peaking", "stable", "#3, #14"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=20,
)
entries = st.lists(st.dictionaries(KEYS, json_values, max_size=3), max_size=4)
json_answers = (st.dictionaries(KEYS, json_values, max_size=4)
                | st.fixed_dictionaries({"ranking": entries}) | st.fixed_dictionaries({"explanations": entries}))


def parse_or_reject(stage: str, texts: list[str], model: ModelRef) -> None:
    with contextlib.suppress(OutputInvalid):
        STAGE_CLASSES[stage]().parse(texts, FACTS, model, UPSTREAM)


@settings(max_examples=300, deadline=None)
@given(stage=st.sampled_from(list(STAGE_CLASSES)), answer=json_answers)
def test_it_never_crashes_on_a_json_answer(stage, answer):
    parse_or_reject(stage, [json.dumps(answer)], CHAT)


@settings(max_examples=300, deadline=None)
@given(stage=st.sampled_from(list(STAGE_CLASSES)), text=st.text(max_size=80) | st.from_regex(r"#\d{1,4}(, #\d{1,4}){0,4}"))
def test_it_never_crashes_on_a_completion(stage, text):
    parse_or_reject(stage, [text] * len(FACTS.reference_ranking), COMPLETION)


# The rules engine's answer always passes its own stage's parser: the deterministic baseline is never rejected by the
# checks every model is judged by.
RULES = ModelRef(key="builtin/rules", provider_kind="rules", prompt_style="rules")
months = st.lists(st.decimals(min_value=0, max_value=5000, places=2), min_size=12, max_size=12).map(tuple)
budgets = st.none() | st.decimals(min_value=20, max_value=600, places=2)


@st.composite
def offers(draw: st.DrawFn):
    """The cast, plus a few random plans with random terms, shares and contracts."""
    extra = draw(st.lists(plan_terms(), max_size=3))
    randoms = tuple(
        dataclasses.replace(OFFERS["cheap"], id=100 + n, name=f"Random {n}", terms=terms,
                            renewable_pct=draw(st.integers(0, 100)), contract_months=draw(st.sampled_from([0, 1, 6, 12, 24, 36])))
        for n, terms in enumerate(extra)
    )
    return tuple(OFFERS.values()) + randoms


def answer_and_parse(stage, facts, upstream):
    request = stage.build_requests(facts, RULES, upstream)[0]
    return stage.parse([request.reference_answer], facts, RULES, upstream)


@settings(max_examples=200, deadline=None)
@given(
    usage=months, plans=offers(), budget=budgets, prefer_renewable=st.booleans(),
    min_renewable=st.none() | st.integers(0, 100), max_contract=st.none() | st.sampled_from([0, 6, 12, 24]),
    top_n=st.integers(1, 6), current_rate=st.none() | st.decimals(min_value=5, max_value=30, places=1),
)
def test_it_passes_every_stage(usage, plans, budget, prefer_renewable, min_renewable, max_contract, top_n, current_rate):
    current = None if current_rate is None else dataclasses.replace(OFFERS["cheap"].terms, energy_rate_cents=current_rate)
    facts = compute_facts(make_inputs(
        usage, plans, current_terms=current, top_n=top_n, max_monthly_budget=budget, prefer_renewable=prefer_renewable,
        min_renewable_pct=min_renewable, max_contract_months=max_contract,
    ))
    summary = answer_and_parse(UsageSummary(), facts, {})
    scoring = answer_and_parse(PlanScoring(), facts, {})
    narrative = answer_and_parse(Narrative(), facts, {"plan_scoring": scoring})

    assert summary["seasonal_pattern"] == facts.usage.seasonal_pattern
    assert tuple(scoring["ranking"]) == facts.reference_ranking
    assert set(narrative["why"]) == set(scoring["ranking"])
