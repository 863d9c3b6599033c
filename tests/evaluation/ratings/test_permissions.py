"""Who may rate on the pages: an anonymous visitor is sent to the admin login, a user without the
rating permission gets 403, product staff and operators rate; product staff who rate still cannot
switch a slot (page or API); and the admin index links the rating pages for raters only."""

import pytest
from django.test import Client

from evaluation.models import QualityRating, Slot, SlotChange
from tests.conftest import key_headers
from tests.evaluation.benchmarks.pages import parse_html
from tests.evaluation.ratings.items import LEADERBOARD_URL, NEXT_URL, PAIR_URL, QUEUE_URL, client_for, item_url, make_item

RUBRIC = {"why_sensible": "3", "values_reasonable": "3", "overall": "3"}


@pytest.fixture
def pages(db) -> list[str]:
    item = make_item("test/model-a")
    make_item("test/model-b")
    return [QUEUE_URL, NEXT_URL, item_url(item), PAIR_URL, LEADERBOARD_URL]


def links_to(path: str, html: str) -> bool:
    return any(element.attrs.get("href") == path for element in parse_html(html).descendants())


@pytest.mark.django_db
def test_it_sends_an_anonymous_visitor_to_the_admin_login(pages):
    client = Client()

    for url in pages:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(f"/admin/login/?next={url}")
    assert client.post(pages[2], RUBRIC).url.startswith("/admin/login/")
    assert not QualityRating.objects.exists()


@pytest.mark.django_db
def test_it_answers_403_to_a_user_without_the_rating_permission(pages, nemo):
    client = client_for(nemo)

    for url in pages:
        assert client.get(url).status_code == 403
    assert client.post(pages[2], RUBRIC).status_code == 403
    assert not QualityRating.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("user_fixture", ["rita", "olivia"])
def test_it_lets_product_staff_and_operators_rate(pages, request, user_fixture):
    user = request.getfixturevalue(user_fixture)
    client = client_for(user)

    assert [client.get(url, follow=True).status_code for url in pages] == [200] * len(pages)
    assert client.post(pages[2], RUBRIC).status_code == 302
    assert QualityRating.objects.get().rater == user


@pytest.mark.django_db(transaction=True)
def test_it_keeps_product_staff_who_rate_away_from_the_switch_paths(rita, rita_client, rules_only_catalog, spare_rules_model):
    page = rita_client.post("/admin/switchboard/slots/fast/switch/",
                            {"model": spare_rules_model.key, "reason": "try it", "confirm": "yes"})
    api = rita_client.put("/api/v1/slots/fast", {"model": spare_rules_model.key, "reason": "try it"},
                          content_type="application/json", headers=key_headers(rita))

    assert rita.has_perm("evaluation.rate_output")
    assert (page.status_code, api.status_code) == (403, 403)
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    assert not SlotChange.objects.exists()


@pytest.mark.django_db
def test_it_links_the_rating_pages_from_the_admin_index_for_raters_only(rita, nemo):
    assert links_to(QUEUE_URL, client_for(rita).get("/admin/").content.decode())
    assert not links_to(QUEUE_URL, client_for(nemo).get("/admin/").content.decode())
