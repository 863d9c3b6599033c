import pytest

from evaluation.models import AIModel
from tests.evaluation.ratings.conftest import PAIR_URL
from tests.evaluation.ratings.items import make_item


@pytest.mark.django_db
def test_it_never_names_either_model_on_the_pair_page(rita_client, pipeline_items, secret_model):
    real = pipeline_items[0]
    models = list(AIModel.objects.select_related("provider").filter(key__in=["local/gemma-3-270m", secret_model.key]))
    for model in models:
        make_item(model.key, scenario_key="scenario:pair", payload=real.payload, inputs=real.inputs)

    html = rita_client.get(PAIR_URL).content.decode()

    assert html.count(real.payload["recommendations"][0]["why"]) == 2
    for model in models:
        for text in (model.key, model.display_name, model.provider.name, model.provider_model):
            assert text.lower() not in html.lower()
    assert "scenario:pair" not in html
