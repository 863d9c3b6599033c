import pytest

from energy.models import Recommendation
from evaluation.models import RatingItem
from evaluation.ratings import items
from tests.evaluation.ratings.conftest import item_url
from tests.evaluation.ratings.items import INPUTS, PAYLOAD


@pytest.mark.django_db
def test_it_shows_a_sampled_live_recommendation_without_its_model_or_mode(rita_client, secret_model, settings):
    settings.RATING_LIVE_SAMPLE_PCT = 100
    Recommendation.objects.create(
        request_id="req-live-1", mode="accurate", status=Recommendation.Status.SUCCEEDED, inputs={**INPUTS, "mode": "accurate"},
        output={"id": "x", "data": PAYLOAD, "metadata": {"models": {"narrative": secret_model.key}}},
        models_used={stage: secret_model.key for stage in ("usage_summary", "plan_scoring", "narrative")},
    )
    items.collect()
    item = RatingItem.objects.get(source=RatingItem.Source.LIVE)

    html = rita_client.get(item_url(item)).content.decode()

    assert item.model_key == secret_model.key
    assert PAYLOAD["recommendations"][0]["why"] in html
    for hidden in (secret_model.key, secret_model.display_name, "acme", "accurate", "req-live-1", "live"):
        assert hidden not in html.lower()
