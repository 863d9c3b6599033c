import math

from evaluation.benchmarks.chart import MAX_RADIUS, MIN_RADIUS, Datum, latency_quality_chart


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
