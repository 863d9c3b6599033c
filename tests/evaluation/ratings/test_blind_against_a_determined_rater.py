"""Blind rating against a determined rater (issue 14, 4): a rater who rates and then reads the
leaderboard or the quality API learns nothing per model; items carry only the allow-listed request
fields, in the API and the pages alike, and a live output looks like a benchmark one; a pair vote
counts only for a pair served to that rater, once per pair whichever way round, and a refusal never
says whether two outputs share a model; the queue mixes the whole pool and ids are opaque; and
product staff cannot open the recommendations or calls that say which model served what."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core import signing

from energy.models import Recommendation
from evaluation.models import PairwiseComparison, RatingItem
from evaluation.ratings import items as collection
from evaluation.ratings.pairs import SALT, serve
from evaluation.ratings.queue import queue
from evaluation.seeds.accounts import OPERATORS, PRODUCT_STAFF
from tests.conftest import key_headers
from tests.evaluation.benchmarks.pages import parse_html
from tests.evaluation.ratings.items import (
    INPUTS,
    LEADERBOARD_URL,
    PAIR_URL,
    PAYLOAD,
    STAGES,
    client_for,
    item_url,
    make_item,
    rater,
    vote,
)

QUALITY_URL = "/api/v1/models/builtin/rules/quality"


@pytest.fixture
def rhea(db):
    """A rater and nothing else: the rating permission, not the catalog's."""
    user = rater("rhea", None)
    user.user_permissions.add(Permission.objects.get(codename="rate_output"))
    return user


def main_text(response) -> str:
    return parse_html(response.content.decode()).find_all("div", id="content-main")[0].text


def post_vote(client, headers, pair: str, choice: str = "a"):
    return client.post("/api/v1/ratings/pairwise", {"pair": pair, "choice": choice}, content_type="application/json",
                       headers=headers)


# Per-model figures.


@pytest.mark.django_db
def test_it_shows_a_rater_the_same_leaderboard_before_and_after_they_rate(rhea, raj):
    x, y = make_item("test/x"), make_item("test/y")
    vote(x, y, raj, "a")
    client = client_for(rhea)
    before = client.get(LEADERBOARD_URL)

    vote(x, y, rhea, "b")
    client.post(item_url(x), {"why_sensible": 1, "values_reasonable": 1, "overall": 1, "wrong_plan": "on"})
    after = client.get(LEADERBOARD_URL)

    assert x.ratings.get().rater == rhea  # the rating was recorded …
    assert main_text(after) == main_text(before)  # … and the page does not move
    standings = after.context["standings"]
    assert not standings.per_model_figures
    assert (standings.ranking, standings.quality) == ([], [])  # not even the models' order


@pytest.mark.django_db
def test_a_raters_first_vote_does_not_order_the_models_on_their_leaderboard(rhea):
    x, y = make_item("test/x"), make_item("test/y")
    client = client_for(rhea)
    before = main_text(client.get(LEADERBOARD_URL))

    vote(x, y, rhea, "a")

    assert main_text(client.get(LEADERBOARD_URL)) == before
    assert "test/x" not in before


@pytest.mark.django_db
def test_it_shows_the_figures_to_those_who_can_see_models(rhea, olivia):
    item = make_item("test/x")
    vote(item, make_item("test/y"), rhea, "a")
    client_for(rhea).post(item_url(item), {"why_sensible": 2, "values_reasonable": 2, "overall": 2})

    standings = client_for(olivia).get(LEADERBOARD_URL).context["standings"]

    assert standings.per_model_figures
    figures = {place.model: place.figure for place in standings.quality}
    assert figures["test/x"]["human_n"] == 1
    assert {place.model: place.ranked.comparisons for place in standings.ranking} == {"test/x": 1, "test/y": 1}


@pytest.mark.django_db
def test_the_quality_api_gives_the_human_figures_only_to_those_who_can_see_models(client, rhea, operator, api_key,
                                                                                  rules_model):
    item = make_item(rules_model.key, automatic_quality=0.8)
    client_for(rhea).post(item_url(item), {"why_sensible": 5, "values_reasonable": 5, "overall": 5,
                                                      "wrong_plan": "on"})
    _, customer_key = api_key

    as_rater = client.get(QUALITY_URL, headers=key_headers(rhea)).json()
    as_customer = client.get(QUALITY_URL, headers={"Authorization": f"Bearer {customer_key}"}).json()
    as_operator = client.get(QUALITY_URL, headers=key_headers(operator)).json()

    assert (as_rater["human"], as_rater["human_n"], as_rater["flags"]) == (None, None, None)
    assert (as_rater["automatic"], as_rater["automatic_n"]) == (0.8, 1)
    # A key acting for no user (a customer's script) cannot rate, so nothing it reads unblinds anyone.
    for body in (as_operator, as_customer):
        assert (body["human"], body["human_n"], body["flags"]["wrong_plan"]) == (1.0, 1, 1)


@pytest.mark.django_db
def test_the_seeded_product_staff_see_no_figure_that_moves_with_their_ratings(client, rules_model):
    staff = rater("stella", PRODUCT_STAFF)
    rules_model.quality_score = 0.9
    rules_model.save()
    pages = client_for(staff)

    assert not pages.get(LEADERBOARD_URL).context["standings"].per_model_figures
    assert pages.get("/admin/evaluation/aimodel/").status_code == 403
    [listed] = client.get("/api/v1/models", headers=key_headers(staff)).json()
    assert listed["key"] == rules_model.key
    assert listed["quality_score"] is None
    [operators_view] = client.get("/api/v1/models", headers=key_headers(rater("olga", OPERATORS))).json()
    assert operators_view["quality_score"] == 0.9


# What an item carries.


@pytest.mark.django_db
def test_an_item_carries_only_the_allow_listed_request_fields_in_the_api(client, rhea):
    inputs = {**INPUTS, "mode": "accurate", "request_id": "req-9", "preferences": {"prefer_renewable": True, "slot": "fast"},
              "current_plan": {"rate_cents": 17.0, "route": "acme/secret-model-x"}, "top_n": 3}
    payload = {**PAYLOAD, "metadata": {"models": {"narrative": "acme/secret-model-x"}},
               "recommendations": [{**PAYLOAD["recommendations"][0], "model": "acme/secret-model-x"}]}
    item = make_item("acme/secret-model-x", inputs=inputs, payload=payload)

    body = client.get("/api/v1/ratings/next", headers=key_headers(rhea)).json()

    assert body["id"] == item.public_id
    assert body["inputs"] == {"monthly_usage_kwh": INPUTS["monthly_usage_kwh"], "preferences": {"prefer_renewable": True},
                              "current_plan": {"rate_cents": 17.0}, "top_n": 3}
    assert set(body["recommendation"]) == {"usage_summary", "recommendations"}
    assert "model" not in body["recommendation"]["recommendations"][0]
    assert body["recommendation"]["recommendations"][0]["why"] == PAYLOAD["recommendations"][0]["why"]


@pytest.mark.django_db
def test_a_live_output_and_a_benchmark_output_look_the_same_on_the_page(rhea, settings):
    settings.RATING_LIVE_SAMPLE_PCT = 100
    Recommendation.objects.create(
        request_id="req-live-2", mode="fast", status=Recommendation.Status.SUCCEEDED,
        inputs={**INPUTS, "mode": "fast", "top_n": 3}, output={"id": "x", "data": PAYLOAD, "metadata": {}},
        models_used=dict.fromkeys(STAGES, "test/x"))
    collection.collect()
    live = RatingItem.objects.get(source=RatingItem.Source.LIVE)
    benchmark = make_item("test/x", inputs={**INPUTS, "top_n": 3})
    client = client_for(rhea)

    pages = [main_text(client.get(item_url(item))).replace(item.public_id, "ID") for item in (live, benchmark)]

    assert pages[0] == pages[1]
    assert PAYLOAD["recommendations"][0]["why"] in pages[0]


# Pair votes.


@pytest.mark.django_db
def test_a_vote_counts_only_for_a_pair_served_to_that_rater(client, rhea, raj):
    a, b = make_item("test/x"), make_item("test/y")
    rajs_pair = serve(raj, a, b).token
    made_up = signing.dumps({"rater": rhea.pk, "left": a.public_id, "right": b.public_id}, salt="another salt")

    for pair in (rajs_pair, made_up, "not-a-token"):
        response = post_vote(client, key_headers(rhea), pair)
        assert response.status_code == 404, pair
        assert response.json()["detail"].startswith("pair is not a pair served to you")
    page = client_for(rhea).post(PAIR_URL, {"pair": rajs_pair, "choice": "a"}, follow=True)
    assert "Not recorded: pair is not a pair served to you" in page.content.decode()
    assert not PairwiseComparison.objects.exists()


@pytest.mark.django_db
def test_the_reversed_pair_is_the_same_pair_and_a_second_vote_replaces_the_first(client, rhea):
    a, b = make_item("test/x"), make_item("test/y")
    headers = key_headers(rhea)

    assert post_vote(client, headers, serve(rhea, a, b).token, "a").status_code == 200
    assert post_vote(client, headers, serve(rhea, b, a).token, "a").status_code == 200  # b, shown left, is better

    comparison = PairwiseComparison.objects.get()
    assert (comparison.item_a, comparison.item_b, comparison.choice) == (a, b, "b")  # stored as (a, b)


@pytest.mark.django_db
def test_a_refusal_never_says_whether_two_outputs_share_a_model(client, rhea):
    same = [make_item("test/x"), make_item("test/x")]
    different = [make_item("test/x"), make_item("test/y")]

    answers = []
    for left, right in (same, different):
        forged = signing.dumps({"rater": rhea.pk, "left": left.public_id, "right": right.public_id}, salt=SALT + "?")
        answers.append(post_vote(client, key_headers(rhea), forged).json())

    assert answers[0] == answers[1]
    assert "model" not in answers[0]["detail"]
    assert not PairwiseComparison.objects.exists()


# The queue and the ids.


@pytest.mark.django_db
def test_the_queue_mixes_the_whole_pool_not_the_blocks_items_were_collected_in(rhea):
    for model in ("test/x", "test/y", "test/z"):  # one model's outputs together, as a benchmark writes them
        RatingItem.objects.bulk_create([RatingItem(source=RatingItem.Source.BENCHMARK, scenario_key=f"scenario:{n}",
                                                   model_key=model, payload=PAYLOAD) for n in range(200)])

    first = queue(rhea, limit=50)

    assert {item.model_key for item in first} == {"test/x", "test/y", "test/z"}
    assert [item.pk for item in first] != sorted(item.pk for item in first)


@pytest.mark.django_db
def test_items_are_addressed_by_an_opaque_id_never_by_their_primary_key(client, rhea):
    items = [make_item("test/x") for _ in range(3)]
    rater_client = client_for(rhea)

    ids = [item.public_id for item in items]
    assert len(set(ids)) == 3
    assert all(len(public_id) >= 22 and public_id != str(item.pk) for public_id, item in zip(ids, items, strict=True))
    assert rater_client.get(f"/rate/item/{items[0].pk}/").status_code == 404
    assert rater_client.get(item_url(items[0])).status_code == 200
    assert rater_client.get("/rate/next/").url.removeprefix("/rate/item/").rstrip("/") in ids
    assert client.get("/api/v1/ratings/next", headers=key_headers(rhea)).json()["id"] in ids


# The admin.


@pytest.mark.django_db
def test_product_staff_cannot_open_recommendations_or_calls_in_the_admin(rita_client, olivia):
    for page in ("/admin/energy/recommendation/", "/admin/energy/llmcall/"):
        assert rita_client.get(page).status_code == 403, page
        assert client_for(olivia).get(page).status_code == 200, page  # operators still can
    assert rita_client.get("/admin/energy/plan/").status_code == 200


@pytest.mark.django_db
def test_the_migration_takes_those_permissions_from_an_existing_product_staff_group(rita):
    group = Group.objects.get(name=PRODUCT_STAFF)
    serving_records = Permission.objects.filter(content_type__app_label="energy",
                                                codename__in=("view_recommendation", "view_llmcall"))
    model_figures = Permission.objects.filter(content_type__app_label="evaluation", codename="view_aimodel")
    group.permissions.add(*serving_records, *model_figures)  # as seeded before this change
    migration = importlib.import_module("evaluation.migrations.0019_product_staff_without_serving_records")

    migration.revoke(apps, None)

    assert not group.permissions.filter(pk__in=serving_records).exists()
    assert not group.permissions.filter(pk__in=model_figures).exists()
    assert group.permissions.filter(codename="rate_output").exists()
    assert group.permissions.filter(codename="view_plan").exists()


@pytest.mark.django_db
def test_the_schema_documents_opaque_ids_and_votes_by_served_pair(client):
    schema = client.get("/api/v1/openapi.json").json()

    components = schema["components"]["schemas"]
    assert "get" in schema["paths"]["/api/v1/ratings/pairwise/next"]
    assert set(components["PairwiseIn"]["properties"]) == {"pair", "choice"}
    assert components["BlindItemOut"]["properties"]["id"]["type"] == "string"
    assert components["RatingIn"]["properties"]["item_id"]["type"] == "string"
