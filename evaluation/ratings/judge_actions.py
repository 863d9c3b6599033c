"""Starting a judge on a finished benchmark run: the Judging row (who asked, when, which judge:
the audit row) and one queued score per output of the run that raters could rate, in one
transaction; the driver is queued once it commits, like a benchmark run's. Needs the permission
that starting a benchmark needs."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_q.tasks import async_task

from energy.problems import ClientError
from evaluation.benchmarks.actions import RUN_PERMISSION
from evaluation.catalog.routes import get_model
from evaluation.models import AIModel, BenchmarkRun, JudgeScore, Judging, Provider, RatingItem


class JudgingRefused(ClientError):
    status = 422
    title = "Judging refused"


def can_judge(model: AIModel) -> str | None:
    """Why the model cannot judge, or None when it can."""
    if model.prompt_style == AIModel.PromptStyle.RULES or model.provider.kind == Provider.Kind.RULES:
        return f"{model.key} is the rules engine, which answers no prompt: it cannot judge"
    if model.provider.kind == Provider.Kind.COUNCIL:
        return f"{model.key} is a council, which serves recommendation stages, not the judge's rubric: pick one of its models"
    if model.status != AIModel.Status.ENABLED or not model.provider.enabled:
        return f"{model.key} is not enabled"
    return None


def start_judging(run: BenchmarkRun, judge_key: str, *, acting_user: AbstractBaseUser | None) -> Judging:
    if acting_user is not None and not acting_user.has_perm(RUN_PERMISSION):
        raise PermissionDenied(f"{acting_user} may not start judges (needs {RUN_PERMISSION})")
    judge = get_model(judge_key)  # UnknownModelError (404) names the key
    refusal = can_judge(judge)
    if refusal:
        raise JudgingRefused(f"judge: {refusal}")
    if run.status != BenchmarkRun.Status.FINISHED:
        raise JudgingRefused(f"run: benchmark run {run.pk} has not finished ({run.status}); judge it once it has")
    outputs = list(RatingItem.objects.filter(unit__run=run).values_list("id", flat=True))  # failed units have none
    if not outputs:
        raise JudgingRefused(f"run: benchmark run {run.pk} has no output to judge")
    with transaction.atomic():
        judging = Judging.objects.create(run=run, judge_key=judge.key, created_by=acting_user)
        JudgeScore.objects.bulk_create(JudgeScore(judging=judging, item_id=item_id, judge_key=judge.key)
                                       for item_id in outputs)
        transaction.on_commit(lambda: async_task("evaluation.tasks.drive_judging", judging.pk))
    return judging
