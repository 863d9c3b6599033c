"""A judge's agreement with the raters and with the automatic checks, each with n, and the trust
threshold; and a judge's scores never count as human anywhere a human figure is read."""

import pytest

from evaluation.ratings.judge_agreement import TRUSTED_MIN_N, Agreement, agreement, judge_agreements
from evaluation.ratings.model_quality import automatic_vs_human, inter_rater_alpha, model_quality
from evaluation.ratings.standings import standings
from tests.evaluation.ratings.items import judge, judging_of, make_item, rate

JUDGE = "remote/chat-mini"


def test_it_computes_spearman_and_alpha_as_worked_by_hand():
    # Judge 5 4 2 3, people 5 3 1 4. Ranks 4 3 1 2 and 4 2 1 3: d² sums to 2, rho = 1 − 6·2 / (4·15) = 0.8.
    # Alpha, interval: D_o = Σ 2(a−b)² / n = 2·3 / 8 = 0.75; the eight values' squared deviations sum to
    # 13.875, so D_e = 2·13.875 / 7 = 3.964…; alpha = 1 − 0.75 / 3.964… = 30/37.
    judged = agreement({1: 5, 2: 4, 3: 2, 4: 3, 9: 1}, {1: 5, 2: 3, 3: 1, 4: 4, 8: 2})

    assert judged.n == 4  # items 8 and 9 were scored by one side only
    assert judged.spearman == pytest.approx(0.8)
    assert judged.alpha == pytest.approx(30 / 37)


def test_it_has_no_figure_without_enough_to_compare():
    assert agreement({1: 4, 2: 3}, {1: 4, 2: 3}) == Agreement(spearman=None, alpha=1.0, n=2)
    assert agreement({}, {1: 4}) == Agreement(spearman=None, alpha=None, n=0)


@pytest.mark.django_db
def test_it_compares_the_judge_with_the_raters_mean_and_the_automatic_checks(rita, raj):
    judged = judging_of(JUDGE)
    outputs = [make_item("test/x", automatic_quality=q) for q in (1.0, 0.75, 0.25, 0.5, 0.0)]
    for output, overall in zip(outputs, (5, 4, 2, 3, 1), strict=True):
        judge(output, judged, overall)
    judge(make_item("test/x"), judged, None)  # failed: counted apart, never a score
    for output, (first, second) in zip(outputs[:4], ((5, 5), (3, 3), (1, 1), (4, 4)), strict=True):
        rate(output, rita, first)
        rate(output, raj, second)

    [figures] = judge_agreements()

    assert (figures.judge_key, figures.scored_n, figures.failed_n) == (JUDGE, 5, 1)
    assert figures.vs_human == Agreement(spearman=pytest.approx(0.8), alpha=pytest.approx(30 / 37), n=4)
    # Against the automatic checks the judge's overall is mapped to 0–1: (5, 4, 2, 3, 1) → the same values exactly.
    assert figures.vs_automatic == Agreement(spearman=pytest.approx(1.0), alpha=pytest.approx(1.0), n=5)
    assert not figures.trusted
    assert figures.distrust_reason == f"only 4 outputs also rated by people (needs {TRUSTED_MIN_N})"


@pytest.mark.django_db
def test_it_trusts_a_judge_only_with_alpha_at_the_threshold_over_enough_outputs(rita):
    close, far = judging_of("judges/close"), judging_of("judges/far")
    for n in range(TRUSTED_MIN_N):
        output = make_item("test/x", scenario_key=f"scenario:{n}")
        human = 1 + n % 5
        rate(output, rita, human)
        judge(output, close, human)
        judge(output, far, 6 - human)  # the raters' order, upside down

    figures = {f.judge_key: f for f in judge_agreements()}

    assert figures["judges/close"].trusted
    assert figures["judges/close"].vs_human.n == TRUSTED_MIN_N
    assert not figures["judges/far"].trusted
    assert figures["judges/far"].distrust_reason.startswith("alpha -")
    assert figures["judges/far"].distrust_reason.endswith("against people is below 0.667")


@pytest.mark.django_db
def test_a_judges_scores_never_count_as_human(rita, raj):
    outputs = [make_item("test/x", automatic_quality=q) for q in (0.2, 0.5, 0.9)]
    rate(outputs[0], rita, 2)
    rate(outputs[0], raj, 3)
    rate(outputs[1], rita, 4)
    before = (model_quality("test/x"), inter_rater_alpha(), automatic_vs_human(),
              standings(per_model_figures=True).quality)

    judged = judging_of(JUDGE)
    for output in outputs:
        judge(output, judged, 5, flags=["wrong_plan"])

    after = (model_quality("test/x"), inter_rater_alpha(), automatic_vs_human(),
             standings(per_model_figures=True).quality)
    assert after == before
    assert model_quality("test/x").human_n == 3
    assert model_quality("test/x").flags["wrong_plan"] == 0
