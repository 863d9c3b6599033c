import re

import pytest
from django.contrib.auth import get_user_model

from evaluation.models import RatingItem
from evaluation.ratings import items
from evaluation.ratings.actions import rate_result


@pytest.mark.django_db
def test_it_shows_each_models_rated_quality_with_its_number_of_human_ratings(staff_client, finished_run):
    items.collect()
    item = RatingItem.objects.filter(model_key="builtin/rules").first()
    rate_result(item, rater=get_user_model().objects.get(username="staff"), why_sensible=5, values_reasonable=5, overall=5)

    html = staff_client.get(f"/admin/benchmarks/matrix/?run={finished_run.pk}").content.decode()

    rated = re.findall(r'<td class="num rated-quality">([^<]+)<span class="n">human n=(\d+)</span>', html)
    # Under RATING_MIN_HUMAN human ratings the figure is the automatic one (1.0 for the rules engine).
    assert ("1.000 ", "1") in rated
