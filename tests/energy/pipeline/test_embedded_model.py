"""A real inference by the embedded Gemma 3 270M, prompted the way the narrative stage does."""

import pytest

from energy.llm import llama_cpp
from energy.pipeline.stages import Narrative

pytestmark = pytest.mark.llm


def narrative_request(model, facts):
    upstream = {"plan_scoring": {"ranking": list(facts.reference_ranking)}}
    return Narrative().build_requests(facts, model, upstream)[0]


async def test_it_completes_a_few_shot_prompt(gemma, facts):
    request = narrative_request(gemma, facts)
    assert request.prompt.endswith("Why:")

    completion = await llama_cpp.complete(gemma, request)

    assert completion.text.strip()
    assert "\n" not in completion.text  # the catalog's stop sequence
    assert completion.input_tokens > 0
    assert completion.output_tokens > 0
    assert completion.ttft_ms is not None
    assert completion.inference_ms >= completion.ttft_ms
    assert completion.resolved_model == "gemma-3-270m-q4_k_m.gguf"


async def test_it_loads_the_model_once_per_process(gemma, facts):
    request = narrative_request(gemma, facts)
    await llama_cpp.complete(gemma, request)  # loads it, unless an earlier test did

    second = await llama_cpp.complete(gemma, request)

    assert second.init_ms == 0
    [loaded] = [m for m in llama_cpp.status()["loaded"] if m["path"] == llama_cpp.model_path() and m["n_ctx"] == 2048]
    assert loaded["load_ms"] > 0
    assert loaded["warmup_ms"] > 0
    assert llama_cpp.status()["queue_depth"] == 0
