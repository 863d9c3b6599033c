"""Judges at work: each output of a run is a score claimed under the benchmark units' lease, the
judge is asked through the recording caller (every call an LLMCall row), and every score ends done
or failed with the reason, even when its worker dies or the judge answers something that is no
score. Remote judges are replaced at the HTTP seam."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_httpx import HTTPXMock

from energy.models import LLMCall
from evaluation import tasks
from evaluation.models import JudgeScore
from evaluation.ratings import judging
from evaluation.ratings.judge_actions import start_judging
from tests.conftest import REMOTE_BASE_URL, REMOTE_CHAT_URL
from tests.energy.llm.streams import delta, sse, usage

REMOTE_COMPLETIONS_URL = f"{REMOTE_BASE_URL}/completions"
CHAT_SCORE = '{"why_sensible": 4, "values_reasonable": 5, "overall": 4, "flags": []}'


def chat_reply(content: str) -> dict:
    """A streamed chat answer, with its token counts (600 in, 30 out)."""
    return {"headers": {"content-type": "text/event-stream"},
            "content": sse(delta(content), delta("", "stop"), usage(600, 30), "[DONE]")}


def completion_reply(text: str) -> dict:
    choice = {"index": 0, "text": text, "finish_reason": "stop"}
    return {"headers": {"content-type": "text/event-stream"},
            "content": sse({"id": "c", "model": "base-small", "choices": [choice]}, usage(500, 12), "[DONE]")}


@pytest.mark.django_db
def test_it_scores_every_output_with_a_chat_judge_and_records_each_call(
        judged_run, remote_model, judge_tasks, httpx_mock: HTTPXMock, worker_not_stopping,
        django_capture_on_commit_callbacks):
    httpx_mock.add_response(url=REMOTE_CHAT_URL, method="POST", is_reusable=True, **chat_reply(CHAT_SCORE))
    with django_capture_on_commit_callbacks(execute=True):
        started = start_judging(judged_run, "remote/chat-mini", acting_user=None)
    assert judge_tasks == [("evaluation.tasks.drive_judging", started.pk)]

    done, remaining = judging.drive(started.pk)

    assert (done, remaining) == (4, False)
    scores = started.scores.all()
    assert [(s.status, s.why_sensible, s.values_reasonable, s.overall, s.flags) for s in scores] == [("done", 4, 5, 4, [])] * 4
    assert all(s.raw_answer == CHAT_SCORE and s.input_tokens == 600 and s.output_tokens == 30 for s in scores)
    assert all(s.cost_usd > 0 and s.duration_ms > 0 and s.attempts == 1 for s in scores)
    calls = LLMCall.objects.filter(model_key="remote/chat-mini")
    assert calls.count() == 4
    assert set(calls.values_list("stage", "status")) == {("judge", LLMCall.Status.SUCCEEDED)}
    assert sorted(calls.values_list("context", flat=True)) == sorted(f"judge:{started.pk}:{s.pk}" for s in scores)


@pytest.mark.django_db
def test_it_scores_with_a_completion_judge_from_its_score_line(judged_run, completion_judge, judge_tasks,
                                                               httpx_mock: HTTPXMock, worker_not_stopping):
    httpx_mock.add_response(url=REMOTE_COMPLETIONS_URL, method="POST", is_reusable=True,
                            **completion_reply(" why 3, values 4, overall 2; flags: wrong plan"))
    started = start_judging(judged_run, "remote/base-small", acting_user=None)

    judging.drive(started.pk)

    assert set(started.scores.values_list("status", "why_sensible", "values_reasonable", "overall")) == {("done", 3, 4, 2)}
    assert all(s.flags == ["wrong_plan"] for s in started.scores.all())
    assert b"Scores:" in httpx_mock.get_requests()[0].content


@pytest.mark.django_db
def test_an_unparseable_answer_fails_the_score_with_the_reason_and_no_made_up_score(
        judged_run, remote_model, judge_tasks, httpx_mock: HTTPXMock, worker_not_stopping):
    httpx_mock.add_response(url=REMOTE_CHAT_URL, method="POST", is_reusable=True,
                            **chat_reply("This output looks great, 10/10!"))
    started = start_judging(judged_run, "remote/chat-mini", acting_user=None)

    judging.drive(started.pk)

    scores = started.scores.all()
    assert {(s.status, s.overall, s.why_sensible) for s in scores} == {("failed", None, None)}
    assert all(s.error.startswith("unparseable answer: not valid JSON") for s in scores)
    assert all(s.raw_answer == "This output looks great, 10/10!" for s in scores)
    assert set(LLMCall.objects.values_list("status", "error_class")) == {(LLMCall.Status.REJECTED, "bad_format")}


@pytest.mark.django_db
def test_a_judge_that_refuses_the_call_fails_the_score_with_the_providers_reason(
        judged_run, remote_model, judge_tasks, httpx_mock: HTTPXMock, worker_not_stopping):
    httpx_mock.add_response(url=REMOTE_CHAT_URL, method="POST", is_reusable=True, status_code=400,
                            json={"error": {"message": "context length exceeded"}})
    started = start_judging(judged_run, "remote/chat-mini", acting_user=None)

    judging.drive(started.pk)

    scores = started.scores.all()
    assert {s.status for s in scores} == {"failed"}
    assert all("HTTP 400" in s.error and "context length exceeded" in s.error for s in scores)
    assert not started.scores.exclude(status__in=JudgeScore.TERMINAL).exists()


@pytest.mark.django_db
def test_it_claims_each_score_once_under_a_lease(judged_run, remote_model, judge_tasks, settings):
    settings.BENCHMARK_LEASE_S = 60
    started = start_judging(judged_run, "remote/chat-mini", acting_user=None)

    claims = [judging.claim_next(started.pk) for _ in range(5)]

    assert claims[4] is None
    scores = [score for score, _ in claims[:4]]
    assert len({score.pk for score in scores}) == 4
    for score, token in claims[:4]:
        score.refresh_from_db()
        assert (score.status, score.claim_token, score.attempts) == ("running", token, 1)
        assert score.lease_expires_at > timezone.now() + timedelta(seconds=50)


@pytest.mark.django_db
def test_a_score_whose_worker_died_is_claimed_again_and_finished(judged_run, remote_model, judge_tasks, settings,
                                                                   httpx_mock: HTTPXMock, worker_not_stopping):
    httpx_mock.add_response(url=REMOTE_CHAT_URL, method="POST", is_reusable=True, **chat_reply(CHAT_SCORE))
    started = start_judging(judged_run, "remote/chat-mini", acting_user=None)
    lost, lost_token = judging.claim_next(started.pk)  # the worker dies holding it

    requeued, failed = judging.reap_expired(now=timezone.now() + timedelta(seconds=settings.BENCHMARK_LEASE_S + 1))
    judging.drive(started.pk)

    assert (requeued, failed) == (1, 0)
    lost.refresh_from_db()
    assert (lost.status, lost.overall, lost.attempts) == ("done", 4, 2)
    # The dead worker's late result would be discarded: its token no longer holds the lease.
    assert not judging.execute(lost, lost_token)


@pytest.mark.django_db
def test_a_score_whose_lease_expired_too_often_fails_with_the_reason(judged_run, remote_model, judge_tasks, settings):
    settings.BENCHMARK_MAX_ATTEMPTS = 2
    started = start_judging(judged_run, "remote/chat-mini", acting_user=None)
    later = timezone.now()
    for _ in range(2):
        score, _ = judging.claim_next(started.pk)
        later += timedelta(seconds=settings.BENCHMARK_LEASE_S + 1)
        judging.reap_expired(now=later)

    score.refresh_from_db()
    assert (score.status, score.attempts) == ("failed", 2)
    assert score.error == "lease expired 2 times; the worker died or stalled"


@pytest.mark.django_db
def test_the_reaper_task_restarts_the_driver_of_a_judging_nobody_works_on(judged_run, remote_model, judge_tasks,
                                                                            monkeypatch, settings):
    started = start_judging(judged_run, "remote/chat-mini", acting_user=None)
    queued: list[tuple] = []
    monkeypatch.setattr("evaluation.tasks.async_task", lambda *args, **kwargs: queued.append(args))
    assert tasks.reap_judges()["restarted"] == []  # just started: its driver may still be coming

    stale = timezone.now() - timedelta(seconds=settings.BENCHMARK_LEASE_S + 1)
    type(started).objects.filter(pk=started.pk).update(created_at=stale)

    assert tasks.reap_judges()["restarted"] == [started.pk]
    assert queued == [("evaluation.tasks.drive_judging", started.pk)]
