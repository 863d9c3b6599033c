import pytest

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
