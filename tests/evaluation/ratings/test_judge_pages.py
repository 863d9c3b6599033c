"""Judges on the pages: an operator starts one from the run page; the leaderboard and the decision
matrix show each judge's agreement with n and flag one that is not trusted, to those who see the
models' figures and never to a rater."""

import pytest

from evaluation.models import Judging, RatingItem
from tests.evaluation.ratings.items import LEADERBOARD_URL, client_for, judge, rate

JUDGE = "remote/chat-mini"


def run_url(run) -> str:
    return f"/admin/benchmarks/runs/{run.pk}/"


def matrix_url(run) -> str:
    return f"/admin/benchmarks/matrix/?run={run.pk}"


@pytest.fixture
def scored(judged_run, remote_model, rita) -> Judging:
    """The judge scored the run's four outputs 5, 4, 2, 3 and Rita rated them 5, 3, 1, 4."""
    judging = Judging.objects.create(run=judged_run, judge_key=JUDGE)
    for output, (judged, rated) in zip(RatingItem.objects.filter(unit__run=judged_run).order_by("id"),
                                       ((5, 5), (4, 3), (2, 1), (3, 4)), strict=True):
        judge(output, judging, judged)
        rate(output, rita, rated)
    return judging


@pytest.mark.django_db
def test_an_operator_starts_a_judge_from_the_run_page(olivia, judged_run, remote_model, rules_model, judge_tasks,
                                                      django_capture_on_commit_callbacks):
    client = client_for(olivia)
    offered = [choice.value for choice, _ in client.get(run_url(judged_run)).context["judge_form"].fields["judge"].choices
               if choice]
    assert offered == [JUDGE]  # never the rules engines

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{run_url(judged_run)}judges/", {"judge": JUDGE}, follow=True)

    judging = Judging.objects.get()
    assert (judging.judge_key, judging.created_by) == (JUDGE, olivia)
    assert [str(m) for m in response.context["messages"]] == [f"Judge {JUDGE} started on 4 outputs."]
    [progress] = response.context["judgings"]
    assert progress.by_status == {"queued": 4, "running": 0, "done": 0, "failed": 0}
    assert judge_tasks == [("evaluation.tasks.drive_judging", judging.pk)]


@pytest.mark.django_db
def test_the_run_page_refuses_the_rules_engine_as_judge_naming_the_field(olivia, judged_run, remote_model, rules_model,
                                                                          judge_tasks):
    response = client_for(olivia).post(f"{run_url(judged_run)}judges/", {"judge": "builtin/rules"}, follow=True)

    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith("No judge started — judge: Select a valid choice.")
    assert not Judging.objects.exists()


@pytest.mark.django_db
def test_the_run_page_lists_the_failed_scores_with_why_and_what_the_judge_answered(olivia, scored):
    output = RatingItem.objects.filter(unit__run=scored.run).first()
    judge(output, Judging.objects.create(run=scored.run, judge_key="remote/other"), None, raw_answer="Looks great!")

    response = client_for(olivia).get(run_url(scored.run))

    [failed] = response.context["failed_judge_scores"]
    assert (failed.judge_key, failed.item, failed.error, failed.raw_answer) == (
        "remote/other", output, "unparseable answer", "Looks great!")
    assert "Looks great!" in response.content.decode()


@pytest.mark.django_db
def test_product_staff_get_no_judge_button(rita, judged_run, remote_model):
    assert client_for(rita).get(run_url(judged_run)).context["judge_form"] is None


@pytest.mark.django_db
def test_the_leaderboard_shows_the_judges_agreement_with_n_and_flags_it_not_trusted(olivia, scored):
    response = client_for(olivia).get(LEADERBOARD_URL)

    [figures] = response.context["standings"].judges
    assert (figures.judge_key, figures.vs_human.n, figures.vs_automatic.n) == (JUDGE, 4, 4)
    assert figures.vs_human.spearman == pytest.approx(0.8)
    assert not figures.trusted
    page = response.content.decode()
    assert "not trusted" in page
    assert "n=4" in page


@pytest.mark.django_db
def test_the_decision_matrix_shows_the_runs_judges_with_n(olivia, scored):
    other = Judging.objects.create(run=scored.run, judge_key="remote/other")
    judge(RatingItem.objects.filter(unit__run=scored.run).first(), other, None)

    response = client_for(olivia).get(matrix_url(scored.run))

    figures = {f.judge_key: f for f in response.context["judges"]}
    assert figures[JUDGE].vs_human.n == 4
    assert figures[JUDGE].scored_n == 4
    assert (figures["remote/other"].scored_n, figures["remote/other"].failed_n) == (0, 1)
    assert "not trusted" in response.content.decode()


@pytest.mark.django_db
def test_a_rater_sees_no_judge_figures(rita, scored):
    leaderboard = client_for(rita).get(LEADERBOARD_URL)
    matrix = client_for(rita).get(matrix_url(scored.run))

    assert leaderboard.context["standings"].judges == []
    assert matrix.context["judges"] is None
    assert JUDGE not in leaderboard.content.decode() + matrix.content.decode()
