import pytest

from energy.models import Recommendation
from evaluation.models import RatingItem
from evaluation.ratings import items
from tests.evaluation.ratings.items import INPUTS, PAYLOAD

STAGES = ("usage_summary", "plan_scoring", "narrative")


def recommendation(request_id: str, models_used: dict[str, str]) -> Recommendation:
    return Recommendation.objects.create(request_id=request_id, mode="fast", status=Recommendation.Status.SUCCEEDED,
                                         inputs=INPUTS, output={"data": PAYLOAD, "metadata": {}}, models_used=models_used)


@pytest.mark.django_db
def test_it_samples_live_recommendations_by_the_configured_share(settings):
    one_model = recommendation("req-1", dict.fromkeys(STAGES, "test/x"))
    mixed = recommendation("req-2", {"usage_summary": "test/x", "plan_scoring": "test/x", "narrative": "builtin/rules"})

    settings.RATING_LIVE_SAMPLE_PCT = 0
    assert items.collect() == 0
    settings.RATING_LIVE_SAMPLE_PCT = 100
    assert items.collect() == 2

    assert RatingItem.objects.get(recommendation=one_model).model_key == "test/x"
    assert RatingItem.objects.get(recommendation=mixed).model_key == \
        "usage_summary=test/x / plan_scoring=test/x / narrative=builtin/rules"
    assert RatingItem.objects.get(recommendation=mixed).payload == PAYLOAD  # the data, not the metadata
