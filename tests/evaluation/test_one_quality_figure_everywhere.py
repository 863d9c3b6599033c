"""One model, one quality figure (issue 15): the catalog (its API and its admin list), the
switchboard, the decision matrix, the leaderboard and the quality API show the same number, and
each says where it comes from, with n: the automatic checks alone while there are too few human
ratings, then human and automatic combined."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from evaluation.models import AIModel, BenchmarkRun, BenchmarkSuite, RatingItem, Slot
from evaluation.ratings.actions import rate_result
from tests.conftest import key_headers, rules_kind_model
from tests.evaluation.benchmarks.pages import SECOND_RULES_KEY, Element, finish, logged_in, parse_html, queue_run

MODEL = "builtin/rules"


@pytest.fixture
def run(db, monkeypatch, settings) -> BenchmarkRun:
    """The demo data, with the rules engine in the accurate slot, benchmarked on the standard suite."""
    settings.RATING_MIN_HUMAN = 2
    monkeypatch.setattr("evaluation.benchmarks.actions.async_task", lambda *args, **kwargs: None)
    call_command("seed_demo", stdout=StringIO())
    rules = AIModel.objects.get(key=MODEL)
    rules_kind_model(SECOND_RULES_KEY, rules.provider)
    Slot.objects.filter(name="accurate").update(model=rules)
    return finish(queue_run(BenchmarkSuite.objects.get(name="standard")))


def shown(cell: Element) -> tuple[str, str]:
    """(the figure, where it comes from) as a page shows them."""
    return (cell.find_all("span", class_="quality-figure")[0].text, cell.find_all("span", class_="quality-source")[0].text)


def row_cell(html: str, cell_class: str) -> tuple[str, str]:
    """The quality cell of MODEL's rows (the switchboard shows the model in its slot's card and its list), which agree."""
    cells = {shown(row.find_all("td", class_=cell_class)[0]) for row in parse_html(html).find_all("tr")
             if MODEL in row.text and row.find_all("td", class_=cell_class)}
    assert len(cells) == 1, cells
    return cells.pop()


def everywhere(run, operator: Client, headers: dict) -> dict[str, tuple[str, str]]:
    catalog = {m["key"]: m for m in operator.get("/api/v1/models", headers=headers).json()}[MODEL]
    api = operator.get(f"/api/v1/models/{MODEL}/quality", headers=headers).json()
    return {
        "catalog API": (f"{catalog['quality_score']:.3f}", catalog["quality_evidence"]["source"]),
        "catalog admin": row_cell(operator.get("/admin/evaluation/aimodel/").content.decode(), "field-quality"),
        "switchboard": row_cell(operator.get("/admin/switchboard/").content.decode(), "catalog-quality"),
        "matrix": row_cell(operator.get(f"/admin/benchmarks/matrix/?run={run.pk}").content.decode(), "catalog-quality"),
        "leaderboard": row_cell(operator.get("/rate/leaderboard/").content.decode(), "catalog-quality"),
        "quality API": (f"{api['quality']:.3f}", api["source"]),
    }


@pytest.mark.django_db
def test_every_place_shows_the_same_figure_and_says_where_it_comes_from(run, django_capture_on_commit_callbacks):
    operator, headers = logged_in("operator"), key_headers(get_user_model().objects.get(username="operator"))
    automatic_n = RatingItem.evidence.filter(asked_key=MODEL).count()

    before = everywhere(run, operator, headers)

    assert {figure for figure, _ in before.values()} == {"1.000"}  # the rules engine's output passes every check
    assert {source for _, source in before.values()} == {f"automatic n={automatic_n}", "automatic"}

    staff = get_user_model().objects.get(username="staff")
    rater2 = get_user_model().objects.get(username="operator")
    item = RatingItem.objects.filter(asked_key=MODEL).first()
    with django_capture_on_commit_callbacks(execute=True):
        rate_result(item, rater=staff, why_sensible=4, values_reasonable=4, overall=3)
        rate_result(item, rater=rater2, why_sensible=4, values_reasonable=4, overall=3)

    after = everywhere(run, operator, headers)

    # Two ratings of 3 out of 5 are 0.5; averaged with the automatic 1.0: 0.75, everywhere.
    assert {figure for figure, _ in after.values()} == {"0.750"}
    assert {source for _, source in after.values()} == {f"combined: human n=2, automatic n={automatic_n}", "combined"}
