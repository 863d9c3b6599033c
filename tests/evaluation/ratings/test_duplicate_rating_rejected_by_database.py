import pytest
from django.db import IntegrityError, transaction

from evaluation.models import QualityRating
from tests.evaluation.ratings.items import make_item, rate


@pytest.mark.django_db
def test_it_refuses_a_second_row_for_the_same_rater_and_item_at_the_database(rita):
    item = make_item("test/model")
    rate(item, rita, 3)

    with pytest.raises(IntegrityError), transaction.atomic():
        rate(item, rita, 4)
    assert QualityRating.objects.count() == 1
