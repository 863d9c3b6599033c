import re

import pytest

from evaluation.models import BenchmarkUnit


@pytest.mark.django_db
def test_it_shows_the_progress_and_polls_for_more_until_the_run_finishes(staff_client, queued_run):
    BenchmarkUnit.objects.filter(pk=queued_run.units.first().pk).update(status=BenchmarkUnit.Status.SUCCEEDED)

    response = staff_client.get(f"/admin/benchmarks/runs/{queued_run.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<progress id="run-progress" max="18" value="1">' in html
    assert '<td class="num" id="count-queued">17</td>' in html
    assert f'"/admin/benchmarks/runs/{queued_run.pk}/progress.json"' in html
    assert "var interval = 2000;" in html
    assert "Figures per route" not in html
    assert not re.search(r'<script src="(https?:)?//', html)  # inline only: no external script, no CDN
