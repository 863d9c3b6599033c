"""How far each judge agrees with the human raters and with the automatic checks, and whether it
can be trusted.

Over the outputs both scored, the judge is one coder and the other side a second: the raters'
mean `overall` for an output (1–5), or its automatic quality (0–1, against which the judge's
overall is mapped to 0–1 as the catalog maps human ratings). Spearman's rho says whether the
judge orders outputs as the other side does; Krippendorff's alpha (interval metric) whether it
gives the same values. A judge is trusted only when its alpha against the human raters is at
least TRUSTED_ALPHA (0.667, Krippendorff's own lowest value for drawing tentative conclusions)
over at least TRUSTED_MIN_N outputs; otherwise it is flagged "not trusted", and its scores are
shown for what they are, never counted as human (they live in JudgeScore, which no human figure
reads)."""

from dataclasses import dataclass

from django.db.models import Avg, Count

from evaluation.models import BenchmarkRun, JudgeScore, RatingItem
from evaluation.ratings.agreement import krippendorff_alpha_interval, spearman

TRUSTED_ALPHA = 0.667
TRUSTED_MIN_N = 10


@dataclass(frozen=True)
class Agreement:
    spearman: float | None
    alpha: float | None
    n: int  # outputs both scored


@dataclass(frozen=True)
class JudgeAgreement:
    judge_key: str
    scored_n: int  # outputs the judge scored
    failed_n: int  # scores that ended failed (unreachable judge, unparseable answer)
    vs_human: Agreement
    vs_automatic: Agreement

    @property
    def trusted(self) -> bool:
        return (self.vs_human.alpha is not None and self.vs_human.alpha >= TRUSTED_ALPHA
                and self.vs_human.n >= TRUSTED_MIN_N)

    @property
    def distrust_reason(self) -> str:
        if self.trusted:
            return ""
        if self.vs_human.n < TRUSTED_MIN_N:
            return f"only {self.vs_human.n} outputs also rated by people (needs {TRUSTED_MIN_N})"
        if self.vs_human.alpha is None:
            return "no variation to measure agreement on"
        return f"alpha {self.vs_human.alpha:.2f} against people is below {TRUSTED_ALPHA}"


def agreement(judge: dict[int, float], other: dict[int, float]) -> Agreement:
    """Spearman and Krippendorff's alpha between two coders' values, over the items both scored."""
    both = sorted(judge.keys() & other.keys())
    return Agreement(
        spearman=spearman([judge[i] for i in both], [other[i] for i in both]),
        alpha=krippendorff_alpha_interval({i: (judge[i], other[i]) for i in both}),
        n=len(both),
    )


def judge_agreements(run: BenchmarkRun | None = None) -> list[JudgeAgreement]:
    """Every judge's agreement, over one run's outputs or over every output judged (two queries)."""
    scores = JudgeScore.objects.all() if run is None else JudgeScore.objects.filter(judging__run=run)
    # A judge that scored an output twice (it judged the same run again) counts it once, at its mean.
    by_judge: dict[str, dict[int, float]] = {}
    failed: dict[str, int] = {}
    for judge_key, item_id, status, overall, n in (
            scores.filter(status__in=JudgeScore.TERMINAL).order_by().values("judge_key", "item_id", "status")
            .annotate(overall=Avg("overall"), n=Count("id")).values_list("judge_key", "item_id", "status", "overall", "n")):
        by_judge.setdefault(judge_key, {})
        failed.setdefault(judge_key, 0)
        if status == JudgeScore.Status.DONE:
            by_judge[judge_key][item_id] = overall
        else:
            failed[judge_key] += n
    items = {item for judged in by_judge.values() for item in judged}
    human, automatic = {}, {}
    for item_id, mean_rating, automatic_quality in (
            RatingItem.objects.filter(pk__in=items).annotate(human=Avg("ratings__overall"))
            .values_list("pk", "human", "automatic_quality")):
        if mean_rating is not None:
            human[item_id] = mean_rating
        if automatic_quality is not None:
            automatic[item_id] = automatic_quality
    return [
        JudgeAgreement(
            judge_key=judge_key, scored_n=len(judged), failed_n=failed[judge_key],
            vs_human=agreement(judged, human),
            vs_automatic=agreement({i: (v - 1) / 4 for i, v in judged.items()}, automatic),
        )
        for judge_key, judged in sorted(by_judge.items())
    ]
