"""Whatever a model answers, a parser either accepts it or rejects it with OutputInvalid, so
the runner can fall back; any other exception would fail the whole request."""

import contextlib
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from energy.llm.base import ModelRef
from energy.pipeline.facts import compute_facts
from energy.pipeline.stages import STAGE_CLASSES
from energy.pipeline.stages.base import OutputInvalid
from tests.energy.pipeline.conftest import make_inputs

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
