"""The benchmark pages. Staff who may view runs look; starting a run needs
evaluation.add_benchmarkrun and promoting a model into a slot needs evaluation.switch_slot.
A request without the permission answers 403 before any input is read."""

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import OuterRef
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluation.benchmarks.actions import RUN_PERMISSION, BenchmarkRefused, start_benchmark
from evaluation.benchmarks.aggregates import route_figures
from evaluation.benchmarks.comparison import compare
from evaluation.benchmarks.forms import JudgeForm, MatrixForm, PromoteForm, RunForm
from evaluation.benchmarks.gates import thresholds
from evaluation.benchmarks.matrix import DEFAULT_REQUESTS_PER_DAY, decision_matrix
from evaluation.benchmarks.progress import per_run_count, run_progress, with_unit_counts
from evaluation.benchmarks.promotion import promote
from evaluation.models import AIModel, BenchmarkRoute, BenchmarkRun, BenchmarkSuite, BenchmarkUnit, Slot
from evaluation.ratings.blind import sees_model_figures
from evaluation.ratings.judge_actions import JudgingRefused, start_judging
from evaluation.ratings.judge_agreement import TRUSTED_ALPHA, TRUSTED_MIN_N, judge_agreements
from evaluation.ratings.judge_progress import failed_scores, judgings_of
from evaluation.seeds.benchmarks import SUITE_NAME
from evaluation.slots.actions import SWITCH_PERMISSION, SwitchRefused
from evaluation.web import form_problems, needs, page

VIEW_PERMISSION = "evaluation.view_benchmarkrun"
RECENT_RUNS = 50
FAILED_UNITS_SHOWN = 50
POLL_INTERVAL_MS = 2000


def matrix_url(run_id: int, requests_per_day: int | None) -> str:
    query = {"run": run_id, "requests_per_day": requests_per_day or DEFAULT_REQUESTS_PER_DAY}
    return f"{reverse('benchmarks:matrix')}?{urlencode(query)}"


@require_GET
@needs(VIEW_PERMISSION, to="this page")
def index_view(request: HttpRequest) -> HttpResponse:
    routes = BenchmarkRoute.objects.filter(run=OuterRef("pk"))
    runs = with_unit_counts(BenchmarkRun.objects.select_related("suite", "created_by")
                            .annotate(route_count=per_run_count(routes)))[:RECENT_RUNS]
    return page(request, "evaluation/benchmarks/index.html", "Benchmarks", runs=runs,
                can_run=request.user.has_perm(RUN_PERMISSION))


@require_http_methods(["GET", "POST"])
@needs(RUN_PERMISSION, to="starting a benchmark run")
def run_form_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = RunForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                run = start_benchmark(data["suite"], form.routes(), acting_user=request.user, label=data["label"],
                                      repetitions=data["repetitions"], warmup_repetitions=data["warmup_repetitions"],
                                      concurrency=data["concurrency"])
            except BenchmarkRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Benchmark run {run.pk} started: {run.units.count()} units.")
                return redirect("benchmarks:run", run_id=run.pk)
    else:
        selected = request.GET.getlist("models")
        skipped = AIModel.objects.filter(key__in=selected).exclude(status=AIModel.Status.ENABLED).values_list("key", flat=True)
        if skipped:
            messages.warning(request, f"Left out (not enabled, so they cannot run): {', '.join(skipped)}")
        form = RunForm(initial={"suite": BenchmarkSuite.objects.filter(name=SUITE_NAME).first(), "models": selected})
    return page(request, "evaluation/benchmarks/run_form.html", "New benchmark run", form=form)


@require_GET
@needs(VIEW_PERMISSION, to="this page")
def run_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(BenchmarkRun.objects.select_related("suite", "created_by"), pk=run_id)
    progress = run_progress(run)
    finished = progress.finished
    failed_units = (run.units.filter(status=BenchmarkUnit.Status.FAILED).select_related("route", "scenario")
                    [:FAILED_UNITS_SHOWN]) if finished else []
    can_judge = finished and request.user.has_perm(RUN_PERMISSION)
    judgings = judgings_of(run)
    return page(request, "evaluation/benchmarks/run.html", f"Benchmark run {run.pk}", run=run, progress=progress,
                figures=route_figures(run) if finished else [], failed_units=failed_units,
                poll_interval_ms=POLL_INTERVAL_MS, judgings=judgings,
                failed_judge_scores=failed_scores(run, judgings),
                judge_form=JudgeForm() if can_judge else None)


@require_POST
@needs(RUN_PERMISSION, to="starting a judge")
def judge_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(BenchmarkRun, pk=run_id)
    form = JudgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"No judge started — {form_problems(form)}")
        return redirect("benchmarks:run", run_id=run.pk)
    try:
        judging = start_judging(run, form.cleaned_data["judge"].key, acting_user=request.user)
    except JudgingRefused as exc:
        messages.error(request, f"No judge started — {exc}")
    else:
        messages.success(request, f"Judge {judging.judge_key} started on {judging.scores.count()} outputs.")
    return redirect("benchmarks:run", run_id=run.pk)


@require_GET
@needs(VIEW_PERMISSION, to="this page")
def progress_view(request: HttpRequest, run_id: int) -> JsonResponse:
    run = get_object_or_404(BenchmarkRun, pk=run_id)
    return JsonResponse(run_progress(run).as_dict())


def run_ids(request: HttpRequest) -> list[int]:
    """`?runs=1,2` or `?runs=1&runs=2`, in the order given, without repeats; junk is ignored."""
    ids = [int(part) for value in request.GET.getlist("runs") for part in value.split(",") if part.strip().isdigit()]
    return list(dict.fromkeys(ids))


@require_GET
@needs(VIEW_PERMISSION, to="this page")
def compare_view(request: HttpRequest) -> HttpResponse:
    ids = run_ids(request)
    found = BenchmarkRun.objects.select_related("suite").in_bulk(ids)
    missing = [str(run_id) for run_id in ids if run_id not in found]
    if missing:
        messages.warning(request, f"No such run: {', '.join(missing)}")
    runs = [found[run_id] for run_id in ids if run_id in found]
    if not runs:
        messages.error(request, "Choose the runs to compare.")
        return redirect("benchmarks:index")
    return page(request, "evaluation/benchmarks/compare.html", "Compare benchmark runs", comparison=compare(runs))


@require_GET
@needs(VIEW_PERMISSION, to="this page")
def matrix_view(request: HttpRequest) -> HttpResponse:
    if not request.GET.get("run"):
        latest = BenchmarkRun.objects.filter(status=BenchmarkRun.Status.FINISHED).first()
        if latest is None:
            messages.info(request, "No benchmark run has finished yet.")
            return redirect("benchmarks:index")
        return redirect(matrix_url(latest.pk, request.GET.get("requests_per_day")))
    form = MatrixForm({"requests_per_day": DEFAULT_REQUESTS_PER_DAY, **request.GET.dict()})
    if not form.is_valid():
        response = page(request, "evaluation/benchmarks/matrix.html", "Decision matrix", form=form, matrix=None)
        response.status_code = 400
        return response
    matrix = decision_matrix(form.cleaned_data["run"], form.cleaned_data["requests_per_day"])
    can_switch = request.user.has_perm(SWITCH_PERMISSION)
    promotions = [
        (row, PromoteForm(auto_id=f"id_route{row.figures.route_id}_%s", initial={"requests_per_day": matrix.requests_per_day}))
        for row in matrix.rows if can_switch and row.promotable_model
    ]
    return page(request, "evaluation/benchmarks/matrix.html", f"Decision matrix — run {matrix.run.pk}", form=form,
                matrix=matrix, promotions=promotions, can_switch=can_switch, gates=thresholds(),
                catalog_quality_shown=sees_model_figures(request.user),
                # Per-model figures, like the catalog quality: only for those who may see the models.
                judges=judge_agreements(matrix.run) if sees_model_figures(request.user) else None,
                trusted_alpha=TRUSTED_ALPHA, trusted_min_n=TRUSTED_MIN_N,
                slots=Slot.objects.select_related("model"))


@require_POST
@needs(SWITCH_PERMISSION, to="promoting a model into a slot")
def promote_view(request: HttpRequest, route_id: int) -> HttpResponse:
    route = get_object_or_404(BenchmarkRoute.objects.select_related("run"), pk=route_id)
    form = PromoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing changed — {form_problems(form)}")
        return redirect(matrix_url(route.run_id, request.POST.get("requests_per_day")))
    figures = next(f for f in route_figures(route.run) if f.route_id == route.pk)
    try:
        change = promote(figures, run_id=route.run_id, slot_name=form.cleaned_data["slot"].name, acting_user=request.user,
                         reason=form.cleaned_data["reason"], override_gates=form.cleaned_data["override_gates"])
    except SwitchRefused as exc:
        messages.error(request, f"Promotion refused: {exc}")
    else:
        messages.success(request, f"{change.slot.name}: {change.from_model} → {change.to_model}.")
    return redirect(matrix_url(route.run_id, form.cleaned_data["requests_per_day"]))
