import pytest

from evaluation.models import AIModel, RatingItem
from tests.evaluation.ratings.conftest import item_url
from tests.evaluation.ratings.items import make_item


def identifying_strings(model: AIModel) -> list[str]:
    return [model.key, model.display_name, model.provider.name, model.provider_model]


@pytest.mark.django_db
@pytest.mark.parametrize("model_key", ["local/gemma-3-270m", "acme/secret-model-x"])
def test_it_never_names_the_model_on_the_item_page(rita_client, pipeline_items, secret_model, model_key):
    model = AIModel.objects.select_related("provider").get(key=model_key)
    real = pipeline_items[0]
    item = make_item(model.key, scenario_key=real.scenario_key, payload=real.payload, inputs=real.inputs)

    html = rita_client.get(item_url(item)).content.decode()

    assert real.payload["recommendations"][0]["why"] in html  # the output is there …
    for text in identifying_strings(model):  # … and nothing that says whose it is
        assert text.lower() not in html.lower()
    assert item.scenario_key not in html
    assert RatingItem.Source.BENCHMARK not in html
    assert real.unit.unit_key not in html
