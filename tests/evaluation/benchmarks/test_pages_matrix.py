"""The matrix page: a run's routes side by side, with their monthly cost, catalog quality and the
latency-quality chart drawn by the server."""

import math
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from evaluation.benchmarks.chart import MAX_RADIUS, MIN_RADIUS, Datum, latency_quality_chart
from evaluation.models import BenchmarkRun, RatingItem
from evaluation.ratings import items
from evaluation.ratings.actions import rate_result
from tests.evaluation.benchmarks.pages import parse_html, queue_run


@pytest.mark.django_db
def test_it_draws_one_labelled_circle_per_route_in_inline_svg(staff_client, finished_demo_run):
    response = staff_client.get(f"/admin/benchmarks/matrix/?run={finished_demo_run.pk}")

    html = response.content.decode()
    assert response.status_code == 200
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="latency-quality-chart"')
    svg = html[start:html.index("</svg>", start)]
    [chart] = parse_html(html).find_all("svg", class_="latency-quality-chart")
    assert len(chart.find_all("circle", class_="point")) == 2
    assert [label.text for label in chart.find_all("text", class_="point-label")] == ["builtin/rules", "test/rules-b"]
    # Drawn by the server with nothing to fetch, so it renders offline.
    assert "<script" not in svg
    assert "href" not in svg


@pytest.mark.django_db
def test_it_opens_on_the_latest_finished_run(staff_client, finished_demo_run, standard_suite):
    queue_run(standard_suite)  # newer, but not finished
    assert BenchmarkRun.objects.count() == 2

    response = staff_client.get("/admin/benchmarks/matrix/?requests_per_day=500")

    assert response.status_code == 302
    assert response["Location"] == f"/admin/benchmarks/matrix/?run={finished_demo_run.pk}&requests_per_day=500"


@pytest.mark.django_db
def test_it_projects_cost_per_recommendation_times_requests_per_day_times_30(staff_client, finished_demo_run):
    # The rules engine costs nothing; give its units a price to make the arithmetic visible.
    finished_demo_run.units.update(cost_usd=Decimal("0.00125"))

    response = staff_client.get(f"/admin/benchmarks/matrix/?run={finished_demo_run.pk}&requests_per_day=2500")

    html = response.content.decode()
    page = parse_html(html)
    monthly = [cell.text for cell in page.find_all("td", class_="monthly-cost")]
    assert monthly == ["$93.75", "$93.75"]  # 0.00125 × 2500 × 30
    assert "monthly cost at 2500 requests per day" in html
    # The cost tier puts builtin/rules in its accurate slot; the run measured it on its own.
    assert any("accurate → builtin/rules: $93.75" in element.text and element.find_all("strong", class_="tier-cost")
               for element in page.descendants())


@pytest.mark.django_db
def test_it_shows_each_models_catalog_quality_with_where_it_comes_from(operator_client, staff_client,
                                                                              finished_demo_run):
    items.collect()
    item = RatingItem.objects.filter(model_key="builtin/rules").first()
    rate_result(item, rater=get_user_model().objects.get(username="staff"), why_sensible=5, values_reasonable=5, overall=5)

    html = operator_client.get(f"/admin/benchmarks/matrix/?run={finished_demo_run.pk}").content.decode()
    blind = staff_client.get(f"/admin/benchmarks/matrix/?run={finished_demo_run.pk}").content.decode()

    shown = [(cell.find_all("span", class_="quality-figure")[0].text, cell.find_all("span", class_="quality-source")[0].text)
             for cell in parse_html(html).find_all("td", class_="catalog-quality")]
    units = RatingItem.evidence.filter(asked_key="builtin/rules").count()
    # Under RATING_MIN_HUMAN human ratings the figure is the automatic one (1.0 for the rules engine), and says so.
    assert ("1.000", f"automatic n={units}") in shown
    # No column is called "rated" while the figures stand on the automatic checks alone.
    assert "Rated" not in html
    # Product staff rate blind: the column that moves with their ratings is not theirs to see.
    assert "Catalog quality" in html
    assert "Catalog quality" not in blind
    assert not parse_html(blind).find_all("td", class_="catalog-quality")


def test_it_maps_latency_on_a_log_scale_quality_upwards_and_cost_to_circle_area():
    chart = latency_quality_chart([
        Datum("cheap-fast", latency_ms=10, quality=0.5, cost=0.0001),
        Datum("dear-slow", latency_ms=1000, quality=1.0, cost=0.0004),
        Datum("middle", latency_ms=100, quality=0.0, cost=0.0),
    ], quality_gate=0.8)

    fast, slow, middle = chart.points
    assert middle.x - fast.x == slow.x - middle.x  # equal ratios are equal distances
    assert (slow.y, middle.y) == (chart.top, chart.bottom)
    assert fast.y == (chart.top + chart.bottom) / 2
    assert slow.r == MAX_RADIUS
    assert math.isclose((fast.r / slow.r) ** 2, 0.25, rel_tol=0.01)  # a quarter of the cost, a quarter of the area
    assert middle.r == MIN_RADIUS  # free, but still visible
    assert [tick.label for tick in chart.x_ticks] == ["10 ms", "20 ms", "50 ms", "100 ms", "200 ms", "500 ms", "1 s"]
    assert chart.quality_gate_y == round(chart.bottom - 0.8 * chart.plot_height, 1)


def test_it_moves_a_label_that_would_cover_another():
    chart = latency_quality_chart([Datum("a", 5, 1.0, 0.0), Datum("b", 5, 1.0, 0.0)])

    first, second = chart.points
    assert (first.x, first.y) == (second.x, second.y)
    assert second.label_y > first.label_y
