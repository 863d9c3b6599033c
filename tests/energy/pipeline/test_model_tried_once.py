"""Along a fallback chain each model is tried once per stage: a failure moves on, never retries."""

from itertools import groupby

from energy.llm.base import STAGES, ProviderTimeout
from energy.pipeline.orchestrator import run_pipeline


async def test_it_tries_each_model_once_per_stage(inputs, fake_model, route_of, chat_model, completion_model, rules_ref):
    for stage in STAGES:
        fake_model.queue(chat_model.key, ProviderTimeout("read timed out"), stage=stage)
    wrong = " It costs $9,999.99 a year."
    fake_model.queue(completion_model.key, wrong, stage="usage_summary")
    fake_model.queue(completion_model.key, wrong, stage="plan_scoring")
    fake_model.queue(completion_model.key, *[wrong] * 3, stage="narrative")  # one prompt per plan

    result = await run_pipeline(inputs, route=route_of(chat_model, completion_model, rules_ref), caller=fake_model)

    for stage in STAGES:
        tried = [key for key, _ in groupby(fake_model.asked(stage))]
        assert tried == ["test/chat", "test/completion", "builtin/rules"], stage
        assert fake_model.asked(stage).count("test/chat") == 1
    assert set(result.models.values()) == {"builtin/rules"}
    assert len(result.errors) == len(result.fallbacks) == 6
