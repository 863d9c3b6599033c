"""The rating queue: a rater's outputs, fewest ratings first, shuffled differently for each rater
but in a stable order for one; what the queue page offers, where "next" and "skip" lead, and the
empty queue."""

import pytest

from evaluation.models import RatingItem
from evaluation.ratings.queue import queue
from tests.evaluation.benchmarks.pages import parse_html
from tests.evaluation.ratings.items import NEXT_URL, QUEUE_URL, item_url, make_item, rate


@pytest.mark.django_db
def test_it_puts_the_items_with_the_fewest_ratings_first(rita, raj, olivia):
    twice, once, never = (make_item(f"test/model-{n}", scenario_key=f"scenario:{n}") for n in range(3))
    rate(twice, raj, 3)
    rate(twice, olivia, 4)
    rate(once, raj, 2)

    assert [item.pk for item in queue(rita)] == [never.pk, once.pk, twice.pk]
    assert [item.pk for item in queue(raj)] == [never.pk]  # what Raj rated is not his to rate again


@pytest.mark.django_db
def test_it_shuffles_equally_rated_items_differently_for_each_rater(rita, raj):
    items = [make_item(f"test/model-{n % 3}", scenario_key=f"scenario:{n}") for n in range(20)]

    ritas, rajs = [i.pk for i in queue(rita)], [i.pk for i in queue(raj)]

    assert sorted(ritas) == sorted(rajs) == [i.pk for i in items]
    assert ritas != rajs
    assert ritas != sorted(ritas)  # not creation order, which would tell which run came first


@pytest.mark.django_db
def test_it_keeps_one_raters_order_from_one_visit_to_the_next(rita, rita_client):
    for n in range(12):
        make_item(f"test/model-{n % 2}", scenario_key=f"scenario:{n}")

    first = [i.public_id for i in queue(rita)]

    assert [i.public_id for i in queue(rita)] == first
    assert rita_client.get(NEXT_URL).url == f"/rate/item/{first[0]}/"
    assert rita_client.get(NEXT_URL).url == item_url(queue(rita)[0])


@pytest.mark.django_db
def test_it_skips_to_the_item_after_the_one_on_screen_and_round_the_end(rita, rita_client):
    for n in range(3):
        make_item("test/model", scenario_key=f"scenario:{n}")
    order = queue(rita)

    assert rita_client.get(NEXT_URL, {"skip": order[0].public_id}).url == item_url(order[1])
    assert rita_client.get(NEXT_URL, {"skip": order[1].public_id}).url == item_url(order[2])
    assert rita_client.get(NEXT_URL, {"skip": order[2].public_id}).url == item_url(order[0])


@pytest.mark.django_db
def test_it_shows_the_benchmark_outputs_queued_when_their_units_ended(rita_client, pipeline_items):
    # The items were written at each unit's end (issue 12: a page view writes nothing).
    html = rita_client.get(QUEUE_URL).content.decode()

    assert RatingItem.objects.count() == len(pipeline_items)
    assert f"{len(pipeline_items)} outputs waiting for you" in html
    links = [(link.attrs.get("href"), link.text.strip()) for link in parse_html(html).find_all("a")]
    assert ("/rate/next/", "Start rating") in links
    assert {"/rate/pair/", "/rate/leaderboard/"} <= {href for href, _ in links}


@pytest.mark.django_db
def test_it_sends_the_rater_back_to_the_queue_when_nothing_is_left(rita_client):
    response = rita_client.get(NEXT_URL, follow=True)

    assert response.redirect_chain == [(QUEUE_URL, 302)]
    assert "Nothing left to rate" in response.content.decode()
    assert "0 outputs waiting for you" in response.content.decode()
