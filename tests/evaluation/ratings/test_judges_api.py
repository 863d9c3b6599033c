"""POST /api/v1/benchmarks/{id}/judges: an operator starts a judge on a finished run's outputs;
every refusal answers a problem that names what is wrong, and starts nothing."""

import pytest
from django.http import HttpResponse
from django.test import AsyncClient

from evaluation.catalog.councils import Composition, compose_council
from evaluation.models import AIModel, BenchmarkRun, JudgeScore, Judging


async def post_judge(client: AsyncClient, run_id: int, body: dict, headers: dict[str, str]) -> HttpResponse:
    return await client.post(f"/api/v1/benchmarks/{run_id}/judges", body, content_type="application/json", headers=headers)


@pytest.mark.django_db(transaction=True)
async def test_it_queues_one_score_per_output_for_an_operator_and_answers_202(async_client, operator_headers, judged_run,
                                                                              remote_model, judge_tasks):
    response = await post_judge(async_client, judged_run.pk, {"judge": "remote/chat-mini"}, operator_headers)

    assert response.status_code == 202
    judging = await Judging.objects.select_related("created_by").aget()
    assert response.json() == {"id": judging.pk, "run": judged_run.pk, "judge": "remote/chat-mini", "scores": 4}
    assert judging.created_by.username == "operator"  # who asked: the audit of the action
    assert await JudgeScore.objects.filter(judging=judging, status=JudgeScore.Status.QUEUED).acount() == 4
    assert judge_tasks == [("evaluation.tasks.drive_judging", judging.pk)]


@pytest.fixture
def a_council(rules_model, rules_a) -> AIModel:
    compose_council("council/local", Composition(members=("builtin/rules", "test/rules-a"), chairman="builtin/rules"),
                    acting_user=None, reason="a council asked to judge")
    return AIModel.objects.get(key="council/local")


@pytest.mark.django_db(transaction=True)
async def test_the_run_lists_its_judges_with_their_progress(async_client, operator_headers, judged_run, remote_model,
                                                            judge_tasks):
    started = (await post_judge(async_client, judged_run.pk, {"judge": "remote/chat-mini"}, operator_headers)).json()
    score = await JudgeScore.objects.filter(judging_id=started["id"]).afirst()
    await JudgeScore.objects.filter(pk=score.pk).aupdate(status=JudgeScore.Status.FAILED, error="unreachable")

    response = await async_client.get(f"/api/v1/benchmarks/{judged_run.pk}", headers=operator_headers)

    assert response.status_code == 200
    [judge] = response.json()["judges"]
    assert {k: judge[k] for k in ("id", "judge", "created_by", "scores", "finished")} == {
        "id": started["id"], "judge": "remote/chat-mini", "created_by": "operator",
        "scores": {"queued": 3, "running": 0, "done": 0, "failed": 1}, "finished": False}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("judge", "status", "detail"), [
    ("nobody/such-model", 404, "unknown model: 'nobody/such-model'"),
    ("builtin/rules", 422, "judge: builtin/rules is the rules engine, which answers no prompt: it cannot judge"),
    ("test/rules-a", 422, "judge: test/rules-a is the rules engine"),
    ("council/local", 422, "judge: council/local is a council, which serves recommendation stages"),
])
async def test_it_refuses_a_judge_that_cannot_judge_naming_the_field(async_client, operator_headers, judged_run,
                                                                     remote_model, rules_model, a_council, judge_tasks,
                                                                     judge, status, detail):
    response = await post_judge(async_client, judged_run.pk, {"judge": judge}, operator_headers)

    assert response.status_code == status
    assert response.json()["detail"].startswith(detail)
    assert await Judging.objects.acount() == 0


@pytest.mark.django_db(transaction=True)
async def test_it_refuses_a_judge_that_is_not_enabled(async_client, operator_headers, judged_run, remote_model, judge_tasks):
    await AIModel.objects.filter(pk=remote_model.pk).aupdate(status=AIModel.Status.DISABLED)

    response = await post_judge(async_client, judged_run.pk, {"judge": "remote/chat-mini"}, operator_headers)

    assert (response.status_code, response.json()["detail"]) == (422, "judge: remote/chat-mini is not enabled")


@pytest.mark.django_db(transaction=True)
async def test_it_refuses_a_run_that_has_not_finished(async_client, operator_headers, judged_run, remote_model, judge_tasks):
    await BenchmarkRun.objects.filter(pk=judged_run.pk).aupdate(status=BenchmarkRun.Status.RUNNING)

    response = await post_judge(async_client, judged_run.pk, {"judge": "remote/chat-mini"}, operator_headers)

    assert response.status_code == 422
    assert response.json()["detail"] == (f"run: benchmark run {judged_run.pk} has not finished (running); "
                                         "judge it once it has")
    assert await Judging.objects.acount() == 0


@pytest.mark.django_db(transaction=True)
async def test_it_answers_404_for_a_run_that_does_not_exist(async_client, operator_headers, remote_model, judge_tasks):
    response = await post_judge(async_client, 999, {"judge": "remote/chat-mini"}, operator_headers)

    assert (response.status_code, response.json()["detail"]) == (404, "there is no benchmark run 999")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("body", "field"), [({}, "judge"), ({"judge": ""}, "judge"), ({"judge": "x", "extra": 1}, "extra")])
async def test_it_answers_422_naming_the_field_of_a_malformed_body(async_client, operator_headers, judged_run, judge_tasks,
                                                                   body, field):
    response = await post_judge(async_client, judged_run.pk, body, operator_headers)

    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


@pytest.mark.django_db(transaction=True)
async def test_it_answers_403_to_product_staff_and_starts_nothing(async_client, staff_headers, judged_run, remote_model,
                                                                  judge_tasks):
    response = await post_judge(async_client, judged_run.pk, {"judge": "remote/chat-mini"}, staff_headers)

    assert response.status_code == 403
    assert await Judging.objects.acount() == 0
