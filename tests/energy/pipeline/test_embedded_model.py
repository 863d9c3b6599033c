"""A real inference by the embedded Gemma 3 270M, served by the inference engine and prompted
the way the narrative stage does."""

import sys

import pytest

from energy.llm import dispatch
from energy.pipeline.stages import Narrative

pytestmark = pytest.mark.llm


def narrative_requests(model, facts):
    upstream = {"plan_scoring": {"ranking": list(facts.reference_ranking)}}
    return Narrative().build_requests(facts, model, upstream)


async def test_it_completes_a_few_shot_prompt(gemma, facts):
    request = narrative_requests(gemma, facts)[0]
    assert request.prompt.endswith("Why:")

    completion = await dispatch.complete(gemma, request)

    assert completion.text.strip()
    assert "\n" not in completion.text  # the catalog's stop sequence
    assert completion.input_tokens > 0
    assert 0 < completion.output_tokens <= gemma.settings_for("narrative", Narrative.default_settings).max_tokens
    assert completion.ttft_ms is not None
    # The engine's own time, apart from the time in transit and in its queue.
    assert completion.service_ms is not None
    assert completion.inference_ms == completion.service_ms
    assert completion.queue_ms >= 0
    assert completion.resolved_model == "gemma-3-270m-q4_k_m.gguf"


async def test_it_evaluates_the_few_shot_prefix_once(gemma, facts):
    first, second = narrative_requests(gemma, facts)[:2]
    await dispatch.complete(gemma, first)

    completion = await dispatch.complete(gemma, second)

    # Only the plan's own facts line is new to the engine's cache.
    assert completion.cached_tokens > completion.input_tokens * 0.8, (completion.cached_tokens, completion.input_tokens)


async def test_no_weights_are_loaded_in_this_process(gemma, facts):
    await dispatch.complete(gemma, narrative_requests(gemma, facts)[0])

    assert "llama_cpp" not in sys.modules
