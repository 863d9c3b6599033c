"""A few-shot completion model gets one prompt per answer and answers one line each."""

from energy.pipeline.orchestrator import run_pipeline
from tests.energy.pipeline.answers import completion_ranking, completion_summary, completion_whys


async def test_it_serves_every_stage_from_a_completion_model(inputs, facts, fake_model, route_of, completion_model,
                                                             rules_ref):
    ranking = (36, 3, 14)
    fake_model.queue(completion_model.key, completion_summary(facts) + "\n\nUsage:", stage="usage_summary")
    fake_model.queue(completion_model.key, completion_ranking(ranking), stage="plan_scoring")
    fake_model.queue(completion_model.key, *completion_whys(facts, ranking), stage="narrative")
    result = await run_pipeline(inputs, route=route_of(completion_model, rules_ref), caller=fake_model)
    assert set(result.models.values()) == {"test/completion"}
    assert result.errors == []
    assert [r["plan_id"] for r in result.data["recommendations"]] == [36, 3, 14]
    assert result.data["recommendations"][0]["why"] == completion_whys(facts, ranking)[0].strip()


async def test_it_sends_one_narrative_prompt_per_ranked_plan(inputs, facts, fake_model, route_of, completion_model):
    ranking = (36, 3, 14)
    fake_model.queue(completion_model.key, completion_summary(facts), stage="usage_summary")
    fake_model.queue(completion_model.key, completion_ranking(ranking), stage="plan_scoring")
    fake_model.queue(completion_model.key, *completion_whys(facts, ranking), stage="narrative")
    await run_pipeline(inputs, route=route_of(completion_model), caller=fake_model)

    [summary] = fake_model.requests("test/completion", "usage_summary")
    assert summary.prompt.endswith("Summary:")
    [scoring] = fake_model.requests("test/completion", "plan_scoring")
    assert scoring.prompt.endswith("Best 3:")
    assert "#14: $2,057.28 a year, 50% renewable, 6-month contract" in scoring.prompt
    narratives = fake_model.requests("test/completion", "narrative")
    assert len(narratives) == 3
    assert all(request.prompt.endswith("Why:") and request.messages is None for request in narratives)
    assert "Facts: $1,879.38 a year" in narratives[0].prompt  # Secure 36, ranked first
