"""With no rules engine at the end of a chain, a stage whose models all fail fails the run."""

import pytest

from energy.llm.base import ProviderTimeout
from energy.pipeline.orchestrator import run_pipeline
from energy.pipeline.runner import StageFailed


async def test_it_raises_stage_failed_with_every_error(inputs, fake_model, route_of, chat_model, completion_model, rules_ref):
    fake_model.queue(chat_model.key, ProviderTimeout("read timed out"), stage="plan_scoring")
    fake_model.queue(completion_model.key, "#999, #998, #997", stage="plan_scoring")
    route = route_of(rules_ref, plan_scoring=(chat_model, completion_model))

    with pytest.raises(StageFailed) as caught:
        await run_pipeline(inputs, route=route, caller=fake_model)

    assert caught.value.stage == "plan_scoring"
    assert [(e["model"], e["kind"]) for e in caught.value.errors] == [
        ("test/chat", "timeout"),
        ("test/completion", "unknown_plan"),
    ]
