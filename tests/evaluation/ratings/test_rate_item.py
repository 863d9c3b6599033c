"""Rating one output on the rubric: the item page saves the rubric and goes to the next output, a
rater has one rating per output (edited in place, every earlier version kept as a revision, the
database refusing a second row), a score off the scale or a user without the permission is
refused, and other raters' scores stay hidden until the rater has given their own."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from evaluation.models import QualityRating, QualityRatingRevision
from evaluation.ratings.actions import RatingRefused, rate_result
from evaluation.ratings.queue import next_item
from tests.evaluation.benchmarks.pages import parse_html
from tests.evaluation.ratings.items import NEXT_URL, item_url, make_item, rate

RUBRIC = {"why_sensible": "4", "values_reasonable": "5", "overall": "4", "wrong_plan": "on", "comment": " fine "}


@pytest.mark.django_db
def test_it_saves_the_rubric_and_goes_straight_to_the_next_item(rita, rita_client):
    first = make_item("test/model-a", scenario_key="scenario:1")
    second = make_item("test/model-b", scenario_key="scenario:2")
    shown = next_item(rita)

    response = rita_client.post(item_url(shown), RUBRIC, follow=True)

    rating = QualityRating.objects.get(rater=rita)
    assert (rating.item, rating.why_sensible, rating.values_reasonable, rating.overall) == (shown, 4, 5, 4)
    flags = (rating.hallucinated_number, rating.wrong_plan, rating.ignored_preference)
    assert (flags, rating.comment) == ((False, True, False), "fine")
    other = second if shown == first else first
    assert response.redirect_chain == [(NEXT_URL, 302), (item_url(other), 302)]


@pytest.mark.django_db
def test_it_updates_the_raters_rating_on_a_second_submit_and_keeps_the_first_as_a_revision(rita, rita_client):
    item = make_item("test/model")

    rita_client.post(item_url(item), {"why_sensible": "2", "values_reasonable": "2", "overall": "2", "comment": "first"})
    rita_client.post(item_url(item), {"why_sensible": "5", "values_reasonable": "4", "overall": "5", "ignored_preference": "on"})

    rating = QualityRating.objects.get()
    assert (rating.rater, rating.overall, rating.ignored_preference, rating.comment) == (rita, 5, True, "")
    revision = QualityRatingRevision.objects.get()
    assert revision.rating == rating
    assert revision.values == {"why_sensible": 2, "values_reasonable": 2, "overall": 2, "hallucinated_number": False,
                               "wrong_plan": False, "ignored_preference": False, "comment": "first"}


@pytest.mark.django_db
def test_it_keeps_every_earlier_version_of_a_rating(rita, raj):
    item = make_item("test/model")
    for overall in (1, 2, 3):
        rate_result(item, rater=rita, why_sensible=overall, values_reasonable=4, overall=overall, comment=f"v{overall}")
    rate_result(item, rater=raj, why_sensible=5, values_reasonable=5, overall=5)

    ritas = QualityRating.objects.get(rater=rita)
    assert (ritas.overall, ritas.comment) == (3, "v3")
    assert [(r.values["overall"], r.values["comment"]) for r in ritas.revisions.order_by("id")] == [(1, "v1"), (2, "v2")]
    assert not QualityRating.objects.get(rater=raj).revisions.exists()
    assert QualityRating.objects.count() == 2


@pytest.mark.django_db
def test_it_shows_the_raters_own_rating_filled_in_for_editing(rita, rita_client):
    item = make_item("test/model")
    rate_result(item, rater=rita, why_sensible=2, values_reasonable=5, overall=3, wrong_plan=True, comment="too dear")
    rate_result(item, rater=rita, why_sensible=2, values_reasonable=5, overall=4, wrong_plan=True, comment="too dear")

    response = rita_client.get(item_url(item))

    form = response.context["form"]
    assert {name: form[name].value() for name in ("why_sensible", "values_reasonable", "overall", "wrong_plan", "comment")} \
        == {"why_sensible": 2, "values_reasonable": 5, "overall": 4, "wrong_plan": True, "comment": "too dear"}
    html = response.content.decode()
    page = parse_html(html)
    (fourth,) = page.find_all("input", id="id_overall_3")
    assert (fourth.attrs["value"], "required" in fourth.attrs, "checked" in fourth.attrs) == ("4", True, True)
    assert [radio.attrs["value"] for radio in page.find_all("input", name="overall") if "checked" in radio.attrs] == ["4"]
    assert "1 earlier version kept" in html


@pytest.mark.django_db
def test_it_refuses_a_second_row_for_the_same_rater_and_item_at_the_database(rita):
    item = make_item("test/model")
    rate(item, rita, 3)

    with pytest.raises(IntegrityError), transaction.atomic():
        rate(item, rita, 4)
    assert QualityRating.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("overall", ["", "0", "6", "three"])
def test_it_shows_the_form_again_and_stores_nothing_for_a_score_off_the_scale(rita_client, overall):
    item = make_item("test/model")

    response = rita_client.post(item_url(item), {"why_sensible": "3", "values_reasonable": "3", "overall": overall})

    assert response.status_code == 200
    assert response.context["form"].errors["overall"]
    assert not QualityRating.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("overall", [0, 6, True, "3", 3.5, None])
def test_it_refuses_a_score_that_is_not_a_whole_number_from_1_to_5(rita, overall):
    with pytest.raises(RatingRefused, match="overall must be a whole number from 1 to 5"):
        rate_result(make_item("test/model"), rater=rita, why_sensible=3, values_reasonable=3, overall=overall)
    assert not QualityRating.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_user_without_the_rating_permission(nemo):
    item = make_item("test/model")

    for user in (nemo, None):
        with pytest.raises(PermissionDenied):
            rate_result(item, rater=user, why_sensible=3, values_reasonable=3, overall=3)
    assert not QualityRating.objects.exists()


@pytest.mark.django_db
def test_it_shows_other_raters_scores_only_after_the_raters_own_rating(rita, rita_client, raj, olivia):
    item = make_item("test/model")
    rate(item, raj, 1, comment="The why is nonsense", hallucinated_number=True)
    rate(item, olivia, 2, comment="Agreed, too dear")

    before = rita_client.get(item_url(item)).content.decode()
    rita_client.post(item_url(item), {"why_sensible": "4", "values_reasonable": "4", "overall": "4"})
    after = rita_client.get(item_url(item)).content.decode()

    for seen_only_after in ("Other raters", "The why is nonsense", "Agreed, too dear", "rater 1", "rater 2",
                            "hallucinated number"):
        assert seen_only_after not in before
        assert seen_only_after in after
    assert after.index("The why is nonsense") < after.index("Agreed, too dear")  # numbered in the order they rated
    for name in ("raj", "olivia"):
        assert name not in after.lower()
