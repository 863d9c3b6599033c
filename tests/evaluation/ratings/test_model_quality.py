"""A model's quality: the automatic checks alone below the minimum of human ratings, human and
automatic averaged from it on, human ratings alone for a model without automatic checks; and the
catalog's quality figure, refreshed once per rated or benchmarked model and after each rating."""

import pytest

from evaluation.ratings import actions
from evaluation.ratings.actions import rate_result, refresh_model_quality
from evaluation.ratings.model_quality import model_quality
from tests.evaluation.ratings.items import make_item, rate


@pytest.mark.django_db
def test_it_uses_the_automatic_checks_alone_below_the_minimum_of_human_ratings(settings, rita, raj):
    settings.RATING_MIN_HUMAN = 3
    first, second = make_item("test/model", automatic_quality=0.6), make_item("test/model", automatic_quality=0.8)
    rate(first, rita, 5)
    rate(second, raj, 5)

    quality = model_quality("test/model")

    assert (quality.human, quality.human_n, quality.automatic, quality.automatic_n) == (1.0, 2, 0.7, 2)
    assert quality.combined == 0.7


@pytest.mark.django_db
def test_it_averages_human_and_automatic_from_the_minimum_on(settings, rita, raj, olivia):
    settings.RATING_MIN_HUMAN = 3
    item = make_item("test/model", automatic_quality=0.6)
    for user, overall in ((rita, 4), (raj, 4), (olivia, 1)):
        rate(item, user, overall, hallucinated_number=overall == 1)

    quality = model_quality("test/model")

    # Human: mean overall 3 on 1–5 → (3 - 1) / 4 = 0.5; combined: (0.5 + 0.6) / 2.
    assert (quality.human, quality.human_n, quality.combined) == (0.5, 3, 0.55)
    assert quality.flags == {"hallucinated_number": 1, "wrong_plan": 0, "ignored_preference": 0}
    assert quality.as_dict()["quality"] == 0.55


@pytest.mark.django_db
def test_it_uses_human_ratings_alone_for_a_model_without_automatic_checks(settings, rita, raj):
    settings.RATING_MIN_HUMAN = 2
    item = make_item("test/live-only")
    rate(item, rita, 2)
    rate(item, raj, 4)

    assert model_quality("test/live-only").combined == 0.5
    assert model_quality("test/unrated").combined is None


@pytest.mark.django_db
def test_it_refreshes_each_rated_or_benchmarked_model_once(django_assert_num_queries):
    for n in range(6):
        make_item(f"test/model-{n % 2}", scenario_key=f"scenario:{n}", automatic_quality=0.5)

    # The keys, the two grouped figures, then one write per model.
    with django_assert_num_queries(5):
        assert actions.refresh_catalog_quality() == {"test/model-0": 0.5, "test/model-1": 0.5}


@pytest.mark.django_db
def test_it_writes_the_combined_figure_to_the_catalog_after_each_rating(settings, rita, rules_model,
                                                                      django_capture_on_commit_callbacks):
    settings.RATING_MIN_HUMAN = 1
    item = make_item(rules_model.key, automatic_quality=0.9)
    assert refresh_model_quality(rules_model.key) == 0.9

    with django_capture_on_commit_callbacks(execute=True):
        rate_result(item, rater=rita, why_sensible=3, values_reasonable=3, overall=2)

    rules_model.refresh_from_db()
    assert rules_model.quality_score == pytest.approx((0.25 + 0.9) / 2)
