import pytest

from evaluation.ratings.model_quality import automatic_vs_human
from tests.evaluation.ratings.items import make_item, rate


@pytest.mark.django_db
def test_it_correlates_each_items_automatic_quality_with_its_mean_human_rating(rita, raj):
    for automatic, overall in ((0.2, 1), (0.5, 3), (0.5, 3), (0.9, 5)):
        item = make_item("test/model", automatic_quality=automatic)
        rate(item, rita, overall)
        rate(item, raj, overall)
    make_item("test/model", automatic_quality=0.7)  # not rated: left out
    rate(make_item("test/live"), rita, 2)  # no automatic figure: left out

    rho, n = automatic_vs_human()

    assert n == 4  # the two items with the same figures are two items
    assert rho == pytest.approx(1.0)
