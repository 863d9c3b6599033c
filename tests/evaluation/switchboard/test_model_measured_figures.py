from decimal import Decimal

import pytest

from evaluation.models import AIModel


@pytest.mark.django_db
def test_it_shows_the_measured_figures_in_the_list_and_the_page(admin_client, rules_model):
    AIModel.objects.filter(pk=rules_model.pk).update(
        measured_ttft_ms=812.4, measured_tokens_per_s=29.96, measured_p95_ms=1234.5,
        measured_cost_per_recommendation=Decimal("0.00012345"), quality_score=0.875,
    )

    for url in ("/admin/evaluation/aimodel/", f"/admin/evaluation/aimodel/{rules_model.pk}/change/"):
        html = admin_client.get(url).content.decode()
        for figure in ("812", "30.0", "1234", "$0.000123", "0.88"):
            assert figure in html, (url, figure)
