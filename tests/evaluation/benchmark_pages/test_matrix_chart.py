import re

import pytest


@pytest.mark.django_db
def test_it_draws_one_labelled_circle_per_route_in_inline_svg(staff_client, finished_run):
    response = staff_client.get(f"/admin/benchmarks/matrix/?run={finished_run.pk}")

    html = response.content.decode()
    assert response.status_code == 200
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="latency-quality-chart"')
    svg = html[start:html.index("</svg>", start)]
    assert len(re.findall(r'<circle class="point"', svg)) == 2
    assert re.findall(r'<text class="point-label"[^>]*>([^<]+)</text>', svg) == ["builtin/rules", "builtin/rules-b"]
    # Drawn by the server with nothing to fetch, so it renders offline.
    assert "<script" not in svg
    assert "href" not in svg
