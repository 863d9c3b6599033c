"""Where a run's judges stand: each judging with its scores per status, and the scores that
failed with their reasons (an unreachable judge, an answer that was no score)."""

from dataclasses import dataclass

from django.db.models import Count, Q

from evaluation.models import BenchmarkRun, JudgeScore, Judging

FAILED_SHOWN = 50


@dataclass(frozen=True)
class JudgingProgress:
    judging: Judging
    by_status: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def finished(self) -> bool:
        return self.by_status[JudgeScore.Status.QUEUED] + self.by_status[JudgeScore.Status.RUNNING] == 0


def judgings_of(run: BenchmarkRun) -> list[JudgingProgress]:
    counts = {status: Count("scores", filter=Q(scores__status=status)) for status in JudgeScore.Status.values}
    judgings = Judging.objects.filter(run=run).select_related("created_by").annotate(**counts)
    return [JudgingProgress(judging, {status: getattr(judging, status) for status in JudgeScore.Status.values})
            for judging in judgings]


def failed_scores(run: BenchmarkRun, judgings: list[JudgingProgress]) -> list[JudgeScore]:
    """The run's failed scores, read only when its judgings' tallies say there are some."""
    if not any(progress.by_status[JudgeScore.Status.FAILED] for progress in judgings):
        return []
    return list(JudgeScore.objects.filter(judging__run=run, status=JudgeScore.Status.FAILED)
                .select_related("item").order_by("id")[:FAILED_SHOWN])
