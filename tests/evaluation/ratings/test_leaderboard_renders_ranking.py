import pytest

from evaluation.models import PairwiseComparison
from tests.evaluation.ratings.conftest import LEADERBOARD_URL
from tests.evaluation.ratings.items import make_item, rate


@pytest.mark.django_db
def test_it_ranks_the_models_with_their_quality_and_the_agreement_figures(rita, rita_client, raj, secret_model, rules_model):
    for n in range(4):
        strong = make_item(secret_model.key, scenario_key=f"scenario:{n}", automatic_quality=0.9)
        weak = make_item(rules_model.key, scenario_key=f"scenario:{n}", automatic_quality=0.5 + n / 10)
        PairwiseComparison.objects.create(item_a=weak, item_b=strong, rater=rita, choice="b")
        rate(strong, rita, 5, wrong_plan=n == 0)
        rate(strong, raj, 4)
        rate(weak, rita, 1 + n)

    response = rita_client.get(LEADERBOARD_URL)

    html = response.content.decode()
    assert html.index("Acme Secret X") < html.index("Rules engine")
    ranking = response.context["standings"].ranking
    assert [(ranked.model, ranked.wins, ranked.comparisons) for ranked, _ in ranking] == [
        (secret_model.key, 4.0, 4), (rules_model.key, 0.0, 4)]
    assert f"{ranking[0][0].strength:.3f}" in html
    assert f"{ranking[0][0].ci_low:.3f} – {ranking[0][0].ci_high:.3f}" in html
    quality = {figure["model"]: figure for figure, _ in response.context["standings"].quality}
    assert quality[secret_model.key]["human_n"] == 8
    assert quality[secret_model.key]["flags"]["wrong_plan"] == 1
    assert "n=8" in html
    assert "n=4" in html
    assert response.context["standings"].inter_rater[0].n == 4  # the items two raters rated
    assert response.context["standings"].automatic_vs_human.n == 8
