import pytest

from evaluation.models import QualityRating
from evaluation.ratings.actions import rate_result
from tests.evaluation.ratings.items import make_item


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
