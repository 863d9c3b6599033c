"""A provider failure moves the stage to the next model in its chain, and says why."""

import pytest

from energy.llm.base import (
    EngineBusy,
    ProviderConnectionError,
    ProviderHTTPError,
    ProviderTimeout,
    StreamIncomplete,
)
from energy.pipeline.orchestrator import run_pipeline
from tests.energy.pipeline.answers import chat_narrative, chat_ranking, completion_summary


@pytest.mark.parametrize(
    ("failure", "kind"),
    [
        (ProviderTimeout("read timed out after 8.0 s"), "timeout"),
        (ProviderHTTPError(503, "overloaded"), "http_error"),
        (ProviderConnectionError("connection refused"), "connection_error"),
        (StreamIncomplete("stream ended early", partial_text='{"summ'), "stream_incomplete"),
        (EngineBusy("the engine cannot finish within the deadline"), "engine_busy"),
    ],
)
async def test_it_falls_back_to_the_next_model(inputs, facts, fake_model, route_of, chat_model, completion_model, rules_ref,
                                               failure, kind):
    fake_model.queue(chat_model.key, failure, stage="usage_summary")
    fake_model.queue(completion_model.key, completion_summary(facts), stage="usage_summary")
    fake_model.queue(chat_model.key, chat_ranking(facts), stage="plan_scoring")
    fake_model.queue(chat_model.key, chat_narrative(facts), stage="narrative")

    result = await run_pipeline(inputs, route=route_of(chat_model, completion_model, rules_ref), caller=fake_model)

    assert result.models == {"usage_summary": "test/completion", "plan_scoring": "test/chat", "narrative": "test/chat"}
    assert result.errors == [{"stage": "usage_summary", "model": "test/chat", "kind": kind, "message": str(failure)}]
    assert result.fallbacks == [{"stage": "usage_summary", "from": "test/chat", "to": "test/completion", "reason": kind}]


async def test_it_ends_at_the_rules_engine(inputs, fake_model, route_of, chat_model, completion_model, rules_ref):
    fake_model.queue(chat_model.key, ProviderTimeout("read timed out"), stage="plan_scoring")
    fake_model.queue(completion_model.key, ProviderHTTPError(500, "boom"), stage="plan_scoring")
    route = route_of(rules_ref, plan_scoring=(chat_model, completion_model, rules_ref))

    result = await run_pipeline(inputs, route=route, caller=fake_model)

    assert result.models["plan_scoring"] == "builtin/rules"
    assert [r["plan_id"] for r in result.data["recommendations"]] == [14, 3, 36]  # the reference ranking
    assert result.fallbacks == [
        {"stage": "plan_scoring", "from": "test/chat", "to": "test/completion", "reason": "timeout"},
        {"stage": "plan_scoring", "from": "test/completion", "to": "builtin/rules", "reason": "http_error"},
    ]
    assert [e["kind"] for e in result.errors] == ["timeout", "http_error"]
