import pytest

from evaluation.ratings.model_quality import inter_rater_alpha
from tests.evaluation.ratings.items import make_item, rate


@pytest.mark.django_db
def test_it_measures_agreement_over_the_items_that_two_or_more_raters_rated(rita, raj, olivia):
    swapped_low, swapped_high, alone = make_item("test/a"), make_item("test/b"), make_item("test/c")
    rate(swapped_low, rita, 1, why_sensible=3)
    rate(swapped_low, raj, 5, why_sensible=3)
    rate(swapped_high, rita, 5, why_sensible=4)
    rate(swapped_high, raj, 1, why_sensible=4)
    rate(alone, olivia, 3)

    assert inter_rater_alpha() == (pytest.approx(-0.5), 2)
    assert inter_rater_alpha("why_sensible") == (1.0, 2)
