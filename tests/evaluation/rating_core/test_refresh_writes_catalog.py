import pytest

from evaluation.ratings.actions import rate_result, refresh_model_quality
from tests.evaluation.ratings.items import make_item


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
