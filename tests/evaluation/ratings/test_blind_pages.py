"""Blind rating pages: the item page (a benchmark output or a sampled live recommendation) and the
pair page show the request and the output, in the output's order, and nothing that says which
model, provider, mode, run or request it came from."""

import pytest

from energy.models import Recommendation
from evaluation.models import AIModel, RatingItem
from evaluation.ratings import items
from tests.evaluation.ratings.items import INPUTS, PAIR_URL, PAYLOAD, STAGES, item_url, make_item

SHOWN = [
    "$663.05", "$55.25", "100 %", "36 mo", "93.9",  # a plan's costs, renewable share, contract, score
    "summer-peaking", "August",  # the usage summary
    "495", "Rate (¢/kWh): 17", "Base fee ($ a month): 4.95",  # the request
    PAYLOAD["recommendations"][2]["why"],
]


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


@pytest.mark.django_db
def test_it_leaves_out_every_field_that_is_not_part_of_the_request_or_the_output(rita_client, secret_model):
    payload = {**PAYLOAD, "metadata": {"models": {"narrative": "acme/secret-model-x"}, "request_id": "req-7f3a"},
               "performance": {"narrative": {"model": "Acme Secret X"}}}
    inputs = {**INPUTS, "mode": "accurate"}
    item = make_item(secret_model.key, payload=payload, inputs=inputs)

    html = rita_client.get(item_url(item)).content.decode()

    for hidden in ("metadata", "req-7f3a", "secret", "performance", "accurate"):
        assert hidden not in html.lower()


@pytest.mark.django_db
def test_it_shows_the_request_and_the_recommendations_in_the_order_of_the_output(rita_client):
    item = make_item("acme/secret-model-x")

    html = rita_client.get(item_url(item)).content.decode()

    positions = [html.index(plan["plan_name"]) for plan in PAYLOAD["recommendations"]]
    assert positions == sorted(positions)
    for expected in SHOWN:
        assert expected in html


@pytest.mark.django_db
def test_it_shows_a_sampled_live_recommendation_without_its_model_or_mode(rita_client, secret_model, settings):
    settings.RATING_LIVE_SAMPLE_PCT = 100
    Recommendation.objects.create(
        request_id="req-live-1", mode="accurate", status=Recommendation.Status.SUCCEEDED, inputs={**INPUTS, "mode": "accurate"},
        output={"id": "x", "data": PAYLOAD, "metadata": {"models": {"narrative": secret_model.key}}},
        models_used=dict.fromkeys(STAGES, secret_model.key),
    )
    items.collect()
    item = RatingItem.objects.get(source=RatingItem.Source.LIVE)

    html = rita_client.get(item_url(item)).content.decode()

    assert item.model_key == secret_model.key
    assert PAYLOAD["recommendations"][0]["why"] in html
    for hidden in (secret_model.key, secret_model.display_name, "acme", "accurate", "req-live-1", "live"):
        assert hidden not in html.lower()


@pytest.mark.django_db
def test_it_never_names_either_model_on_the_pair_page(rita_client, pipeline_items, secret_model):
    real = pipeline_items[0]
    models = list(AIModel.objects.select_related("provider").filter(key__in=["local/gemma-3-270m", secret_model.key]))
    for model in models:
        make_item(model.key, scenario_key="scenario:pair", payload=real.payload, inputs=real.inputs)

    html = rita_client.get(PAIR_URL).content.decode()

    assert html.count(real.payload["recommendations"][0]["why"]) == 2
    for model in models:
        for text in identifying_strings(model):
            assert text.lower() not in html.lower()
    assert "scenario:pair" not in html
