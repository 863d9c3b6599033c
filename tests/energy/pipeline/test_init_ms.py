"""init_ms (waiting for a model to load) appears only when a completion reported some."""

from energy.llm.base import Completion
from energy.pipeline.orchestrator import run_pipeline
from tests.energy.pipeline.answers import completion_ranking, completion_summary, completion_whys


async def test_it_reports_init_time_only_where_there_was_some(inputs, facts, fake_model, route_of, completion_model):
    fake_model.queue(completion_model.key, Completion(text=completion_summary(facts), init_ms=812.5), stage="usage_summary")
    fake_model.queue(completion_model.key, completion_ranking(facts.reference_ranking), stage="plan_scoring")
    whys = completion_whys(facts)
    fake_model.queue(completion_model.key, Completion(text=whys[0], init_ms=10.0), Completion(text=whys[1], init_ms=5.25),
                     Completion(text=whys[2]), stage="narrative")

    result = await run_pipeline(inputs, route=route_of(completion_model), caller=fake_model)

    assert result.performance["usage_summary"]["init_ms"] == 812.5
    assert "init_ms" not in result.performance["plan_scoring"]
    assert result.performance["narrative"]["init_ms"] == 15.25  # summed over the stage's requests
