"""How a council degrades, each way named in the fallbacks: a member that fails or hangs is
dropped, a ranking that cannot be parsed is dropped, synthesis starts at the ranking timeout with
what has arrived, a failed chairman falls back to the best-ranked answer, and below the minimum
the stage falls back along its chain like any failed model."""

import pytest

from energy.llm.base import STAGES
from energy.models import LLMCall
from energy.pipeline.orchestrator import run_pipeline
from tests.energy.council.conftest import COUNCIL_KEY, RULES, council_route

MEMBERS = ("member/a", "member/b", "member/c", "member/d")


def reasons(result, stage: str) -> list[tuple[str, str | None, str | None]]:
    return [(f["reason"], f.get("model"), f.get("kind")) for f in result.fallbacks if f["stage"] == stage]


@pytest.mark.django_db(transaction=True)
async def test_a_failing_member_is_dropped_and_the_council_goes_on(council_of, caller, inputs, servers):
    servers["member/b"].always("500")

    result = await run_pipeline(inputs, route=council_route(council_of(*MEMBERS)), caller=caller)

    assert result.models == {stage: COUNCIL_KEY for stage in STAGES}
    # Dropped where it failed (the summary and the scoring run at once, so in either or both); a
    # later stage does not call a model that already failed this request, and drops it too.
    kinds = {stage: [kind for reason, model, kind in reasons(result, stage)
                     if reason == "council_member_dropped" and model == "member/b"] for stage in STAGES}
    assert all(len(found) == 1 and found[0] in ("http_error", "failed_earlier") for found in kinds.values()), kinds
    assert "http_error" in kinds["usage_summary"] + kinds["plan_scoring"]
    assert kinds["narrative"] == ["failed_earlier"]
    for stage in STAGES:
        members = {m["model"]: m for m in result.performance[stage]["council"]["members"]}
        assert members["member/b"]["used"] is False
        assert members["member/b"]["ranking"] is None
        assert members["member/b"]["answer"]["outcome"] in ("http_error", "failed_earlier")
        assert all(members[k]["used"] for k in ("member/a", "member/c", "member/d"))
    assert {e["kind"] for e in result.errors if e["model"] == "member/b"} <= {"http_error", "failed_earlier"}


@pytest.mark.django_db(transaction=True)
async def test_a_slow_member_is_dropped_at_the_answers_timeout(council_of, caller, inputs, servers):
    servers["member/c"].always("hang:5")

    result = await run_pipeline(inputs, route=council_route(council_of(*MEMBERS, answers_timeout_s=0.5)), caller=caller)

    assert result.models == {stage: COUNCIL_KEY for stage in STAGES}
    for stage in STAGES:
        assert ("council_member_dropped", "member/c", "timeout") in reasons(result, stage)
        figures = {m["model"]: m for m in result.performance[stage]["council"]["members"]}
        assert figures["member/c"]["answer"]["outcome"] == "timeout"
        assert not figures["member/c"]["used"]
    # Its cut calls are recorded, finished, not left running.
    cut = [c async for c in LLMCall.objects.filter(model_key="member/c")]
    assert len(cut) == 3
    assert all(c.status == LLMCall.Status.FAILED and c.error_class == "cancelled" for c in cut)


@pytest.mark.django_db(transaction=True)
async def test_below_the_minimum_the_stage_falls_back_along_its_chain(council_of, caller, inputs, servers):
    for key in ("member/b", "member/c"):
        servers[key].plan(["400"], stage="usage_summary")

    result = await run_pipeline(inputs, route=council_route(council_of("member/a", "member/b", "member/c",
                                                                        min_answers=2)), caller=caller)

    assert result.models["usage_summary"] == RULES.key
    assert {"stage": "usage_summary", "from": COUNCIL_KEY, "to": RULES.key,
            "reason": "council_below_minimum"} in result.fallbacks
    assert [e["kind"] for e in result.errors if e["model"] == COUNCIL_KEY and e["stage"] == "usage_summary"] \
        == ["council_below_minimum"]
    failed = next(a for a in result.stages["usage_summary"].attempts if a["model"] == COUNCIL_KEY)
    assert failed["ok"] is False
    assert failed["input_tokens"] > 0


@pytest.mark.django_db(transaction=True)
async def test_a_failed_chairman_falls_back_to_the_best_ranked_answer(council_of, caller, inputs, servers):
    servers["chair/chat"].always("503")

    result = await run_pipeline(inputs, route=council_route(council_of(*MEMBERS, ranking_share=1.0)), caller=caller)

    for stage in STAGES:
        council = result.performance[stage]["council"]
        best = council["ranking"]["aggregate"][0]
        assert council["chairman"]["used"] is False
        assert [m["label"] for m in council["members"] if m["used"]] == [best]
        [(reason, model, kind)] = reasons(result, stage)
        assert (reason, model) == ("council_chairman_failed", "chair/chat")
        assert kind in ("http_error", "failed_earlier")  # the chairman is not called again once it failed


@pytest.mark.django_db(transaction=True)
async def test_a_ranking_that_cannot_be_parsed_is_dropped(council_of, caller, inputs, servers):
    servers["member/a"].plan(["truncated-answer"] * 3, stage="council_ranking")

    result = await run_pipeline(inputs, route=council_route(council_of(*MEMBERS, ranking_share=1.0)), caller=caller)

    for stage in STAGES:
        council = result.performance[stage]["council"]
        member_a = council["members"][0]
        assert member_a["used"] is True  # its answer still counts; only its ranking is dropped
        assert member_a["ranking"]["outcome"] == "invalid_json"
        assert ("council_ranking_dropped", "member/a", "invalid_json") in reasons(result, stage)
        assert council["ranking"]["received"] == 3
        assert council["ranking"]["asked"] == 4
        # Synthesis went on with three of the four it waits for, but no wait ran out: no timeout is named.
        assert all(reason != "council_ranking_timeout" for reason, _, _ in reasons(result, stage))


@pytest.mark.django_db(transaction=True)
async def test_synthesis_starts_at_the_ranking_timeout_with_what_has_arrived(council_of, caller, inputs, servers):
    servers["member/d"].plan(["hang:5"] * 3, stage="council_ranking")

    result = await run_pipeline(inputs, route=council_route(council_of(*MEMBERS, ranking_share=1.0,
                                                                        ranking_timeout_s=0.5)), caller=caller)

    for stage in STAGES:
        council = result.performance[stage]["council"]
        assert council["ranking"]["received"] == 3
        assert council["ranking"]["needed"] == 4
        assert council["members"][3]["ranking"]["outcome"] == "timeout"
        assert ("council_ranking_timeout", None, None) in reasons(result, stage)
        assert council["chairman"]["used"] is True


@pytest.mark.django_db(transaction=True)
async def test_synthesis_starts_once_the_ranking_share_is_in(council_of, caller, inputs, servers):
    # Three of four rankings suffice at 0.75: the slow fourth is not waited for, and is no degradation.
    servers["member/d"].plan(["hang:5"] * 3, stage="council_ranking")

    result = await run_pipeline(inputs, route=council_route(council_of(*MEMBERS, ranking_share=0.75,
                                                                        ranking_timeout_s=30)), caller=caller)

    for stage in STAGES:
        council = result.performance[stage]["council"]
        assert council["ranking"]["needed"] == 3
        assert council["ranking"]["received"] == 3
        assert council["members"][3]["ranking"]["outcome"] == "not_needed"
        assert reasons(result, stage) == []
        assert council["steps_ms"]["ranking"] < 5000  # it did not wait for the hanging ranking
