"""What a person reads about a benchmark run: the per-route summary that
`run_benchmark` prints, and the markdown report that `export_model_report` writes to
docs/ai-model-analysis.md.

Everything comes from the stored run and its units, and nothing is timestamped but the run
itself, so the same data gives the same bytes.
"""

import os
import platform
import shlex
from collections import Counter

from django.conf import settings
from django.db.models import Avg, Count

from energy.llm.base import STAGES
from evaluation.benchmarks.aggregates import DAYS_PER_MONTH, RouteFigures, route_figures
from evaluation.benchmarks.defects import CatchRates, Caught, catch_rates
from evaluation.benchmarks.gates import gate_failures
from evaluation.benchmarks.progress import run_tally
from evaluation.figures import SMALL_SAMPLE, three_places
from evaluation.models import BenchmarkRun, BenchmarkUnit, Council, RatingItem
from evaluation.ratings.model_quality import models_quality, source_label

DASH = "—"
SMALL_N_MARK = "†"
ERRORS_SHOWN = 5
DEFECT_PROFILES, DEFECT_SEED = 200, 15  # random customers the defect set is planted for, and their seed


def latest_finished_run() -> BenchmarkRun | None:
    return BenchmarkRun.objects.filter(status=BenchmarkRun.Status.FINISHED).order_by("-finished_at", "-id").first()


def run_command(run: BenchmarkRun) -> str:
    """The `manage.py run_benchmark` command that starts a run like this one, rebuilt from its fields."""
    parts = ["python", "manage.py", "run_benchmark", "--suite", run.suite.name]
    for route in run.routes.all():
        keys = set(route.stage_models.values())
        if len(keys) == 1:
            parts += ["--model", keys.pop()]
        else:
            parts += ["--route", ",".join(f"{stage}={key}" for stage, key in route.stage_models.items())]
    parts += ["--repetitions", str(run.repetitions), "--warmup", str(run.warmup_repetitions),
              "--concurrency", str(run.concurrency)]
    if run.label:
        parts += ["--label", run.label]
    if run.created_by is not None:
        parts += ["--user", run.created_by.get_username()]
    return shlex.join(parts)


def machine_note() -> str:
    return f"{os.cpu_count()} CPU cores, {platform.machine()}, {platform.system()}, Python {platform.python_version()}"


# Formatting -------------------------------------------------------------------------------


def ms(value: float | None) -> str:
    if value is None:
        return DASH
    return f"{value:,.0f}" if value >= 1000 else f"{value:.1f}" if value >= 10 else f"{value:.3f}"


def share(value: float | None) -> str:
    return DASH if value is None else f"{value * 100:.1f} %"


def score(value: float | None) -> str:
    return DASH if value is None else three_places(value)


def usd(value: float | None, places: int = 6) -> str:
    return DASH if value is None else f"${value:,.{places}f}"


def p99(figures: RouteFigures) -> str:
    if figures.latency is None:
        return DASH
    return ms(figures.latency.p99) + ("" if figures.latency.p99_reliable else f" {SMALL_N_MARK}")


def text_table(headers: list[str], rows: list[list[str]]) -> str:
    """Plain columns: the first left-aligned, the others right-aligned."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = []
    for cells in [headers, *rows]:
        first, *rest = cells
        lines.append("  ".join([first.ljust(widths[0]), *(c.rjust(w) for c, w in zip(rest, widths[1:], strict=True))]))
    return "\n".join(lines)


def markdown_table(headers: list[str], rows: list[list[str]], align: str) -> str:
    """`align` has one letter per column: l(eft) or r(ight)."""
    escaped = [[cell.replace("|", "\\|") for cell in cells] for cells in [headers, *rows]]
    rule = "".join("|---:" if side == "r" else "|---" for side in align) + "|"
    lines = ["| " + " | ".join(escaped[0]) + " |", rule]
    lines += ["| " + " | ".join(cells) + " |" for cells in escaped[1:]]
    return "\n".join(lines)


# The summary run_benchmark prints ---------------------------------------------------------


def summary(figures: list[RouteFigures]) -> str:
    headers = ["route", "p50 ms", "p95 ms", "n", "errors", "JSON valid", "whys by model", "quality", "cost/rec",
               "bottleneck"]
    rows = [[f.label, ms(f.latency and f.latency.p50), ms(f.latency and f.latency.p95), str(f.latency.n if f.latency else 0),
             share(f.error_rate), share(f.json_validity_rate), share(f.whys_by_candidate_rate), score(f.quality),
             usd(f.cost_per_recommendation), f.bottleneck or DASH] for f in figures]
    return text_table(headers, rows)


# The markdown report ----------------------------------------------------------------------


def build_report(run: BenchmarkRun, *, requests_per_day: int, machine: str) -> str:
    figures = route_figures(run)
    sections = [
        "# AI model analysis",
        f"Written by `python manage.py export_model_report --run {run.pk} --requests-per-day {requests_per_day}` from "
        f"benchmark run {run.pk}. Every figure below comes from that run's stored units, but two: the catalog's "
        "quality figure (every benchmark and live sample so far) and the defect set (the checks themselves).",
        identity(run, machine),
        decision_matrix(figures, requests_per_day),
        quality_figures(run),
        bottlenecks(figures),
        *filter(None, [councils(figures)]),
        recommendation(figures),
        defect_set(catch_rates(profiles=DEFECT_PROFILES, seed=DEFECT_SEED)),
    ]
    return "\n\n".join(sections) + "\n"


def identity(run: BenchmarkRun, machine: str) -> str:
    progress = run_tally(run.pk)
    scenarios = list(run.suite.scenarios.filter(units__run=run, units__is_warmup=False).distinct().order_by("id"))
    facts = [
        ("run", f"{run.pk}" + (f" ({run.label})" if run.label else "")),
        ("suite", f"`{run.suite.name}`, {len(scenarios)} scenarios"),
        ("routes", str(run.routes.count())),
        ("repetitions", f"{run.repetitions} per route and scenario, after {run.warmup_repetitions} warm-up per route "
                        "(not aggregated)"),
        ("concurrency", str(run.concurrency)),
        ("units", f"{progress.total}: {progress.by_status['succeeded']} succeeded, {progress.by_status['failed']} failed"),
        ("started", timestamp(run.started_at)),
        ("finished", timestamp(run.finished_at)),
        ("machine", machine),
    ]
    lines = ["## The run", ""]
    lines += [f"- **{name}**: {value}" for name, value in facts]
    lines += ["", "Scenarios:", ""]
    lines += [f"- `{s.name}`: {s.description}" if s.description else f"- `{s.name}`" for s in scenarios]
    lines += [
        "", "The command that produced it (rebuilt from the run's stored settings):", "", "```sh", run_command(run), "```", "",
        "Add `--inline` to execute the units in that process where no `qcluster` runs.",
    ]
    errors = failure_counts(run)
    if errors:
        lines += ["", "Failed units, by error:", ""]
        lines += [f"- {count} × `{error}`" for error, count in errors]
    return "\n".join(lines)


def timestamp(moment) -> str:
    return DASH if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def failure_counts(run: BenchmarkRun) -> list[tuple[str, int]]:
    errors = run.units.filter(status=BenchmarkUnit.Status.FAILED).values_list("error", flat=True)
    counted = Counter(error.splitlines()[0][:200] if error else "(no message)" for error in errors)
    return sorted(counted.items(), key=lambda item: (-item[1], item[0]))[:ERRORS_SHOWN]


def decision_matrix(figures: list[RouteFigures], requests_per_day: int) -> str:
    headers = ["route", "p50 ms", "p95 ms", "p99 ms", "n", "error rate", "JSON valid", "quality", "cost / rec",
               f"monthly cost at {requests_per_day:,}/day", "gates"]
    rows = [[f"`{f.label}`", ms(f.latency and f.latency.p50), ms(f.latency and f.latency.p95), p99(f),
             str(f.latency.n if f.latency else 0), share(f.error_rate), share(f.json_validity_rate), score(f.quality),
             usd(f.cost_per_recommendation), usd(f.monthly_cost(requests_per_day), 2), "; ".join(gate_failures(f)) or "pass"]
            for f in figures]
    return "\n".join([
        "## Decision matrix",
        "",
        "End-to-end latency of the successful measured units (warm-up excluded), percentiles by numpy's linear "
        f"method over n samples. {SMALL_N_MARK} marks a p99 from fewer than {SMALL_SAMPLE} samples: it is then close "
        "to the maximum, not a tail estimate. The error rate counts failed units and units in which a stage's answer "
        "was rejected. Quality is the mean automatic quality score (0–1) over every measured unit: the output "
        "checks' mean, scaled by the share of the answer the route's own models wrote, and 0 for a unit that "
        "failed. The monthly cost is the cost per "
        f"recommendation × {requests_per_day:,} requests/day × {DAYS_PER_MONTH} days.",
        "",
        markdown_table(headers, rows, align="lrrrrrrrrrl"),
    ])


def quality_figures(run: BenchmarkRun) -> str:
    """Per model asked in the run: its quality over every unit it was asked to serve, beside the
    same run counted only where it served every stage itself (how the catalog counted before
    issue 15, which let a model that failed often look better), and the catalog's figure."""
    items = RatingItem.evidence.filter(unit__run=run, unit__is_warmup=False, automatic_quality__isnull=False)
    asked = grouped(items, "asked_key")
    served_alone = grouped(items.filter(failed=False), "model_key")
    keys = [key for key in asked if " / " not in key]  # a per-stage combination is no catalog model
    catalog = models_quality(keys)
    rows = [[f"`{key}`", f"{score(asked[key][0])} (n={asked[key][1]})",
             f"{score(served_alone[key][0])} (n={served_alone[key][1]})" if key in served_alone else f"{DASH} (n=0)",
             f"{score(catalog[key].combined)} ({source_label(catalog[key].evidence)})"] for key in keys]
    return "\n".join([
        "## Quality figures: asked, not served", "",
        "A model's quality counts every unit it was asked to serve: a stage whose answer was refused and that the "
        "rules engine served instead is the model's failure, never the rules engine's success, and a unit that "
        "failed without output scores 0. The second column counts this run only where the model served every "
        "stage itself (and credits the rules engine with the units it rescued): the rule before issue 15, which "
        "made a model look better the more often it failed. The catalog's figure is what the catalog, the "
        "switchboard, the decision matrix, the leaderboard and the API show, over every benchmark and live sample "
        "so far, with where it comes from.", "",
        markdown_table(["model", "asked to serve (this run)", "served every stage itself (the rule before)",
                        "catalog figure"], rows, align="lrrr"),
    ])


def grouped(items, field: str) -> dict[str, tuple[float, int]]:
    """(mean automatic quality, n) of the items per value of `field`."""
    rows = items.order_by().values(field).annotate(mean=Avg("automatic_quality"), n=Count("id"))
    return {row[field]: (round(row["mean"], 4), row["n"]) for row in rows}  # stored like every figure: 4 places


def defect_set(rates: CatchRates) -> str:
    def cell(caught: Caught) -> str:
        return f"{caught.caught}/{caught.planted}"

    rows = [[defect.name, f"`{defect.check}`", cell(standard), cell(random)] for defect, standard, random in rates.by_defect]
    standard, random = rates.false_positives
    return "\n".join([
        "## How honest the checks are: the defect set", "",
        "A check that never fails proves nothing. The defect set (`evaluation/benchmarks/defects.py`) plants one "
        "defect at a time into a correct answer (the rules engine's, for the demo plans) and counts how often the "
        "check it names fails; false positives are correct answers that fail any check. It covers the standard "
        f"suite's {rates.standard} scenarios and {rates.random} random customers (seed {rates.seed}: usage from "
        "empty to a small business's, any preferences and hard constraints, a current plan or none). A defect is "
        "counted only where the facts leave room for it (no savings to get wrong without a current plan, no hard "
        "constraint to break when no plan meets them all), hence the differing totals. "
        "`tests/evaluation/benchmarks/test_defect_set.py` asserts the same on every standard scenario and on "
        "random customers (Hypothesis); `python -m bench.defect_catch` prints this table alone.", "",
        "The structured fields are compared exactly: money to the cent, a renewable share and a contract length to "
        "the unit, usage statistics to a hundredth of a kWh (the response copies them from the facts). Numbers in "
        "a text keep a 0.5 % tolerance, a rounding a person accepts (\"about $1,650 a year\"). The ranking passes "
        "only in the reference order (`docs/ranking.md`); Kendall tau still gives another order partial credit.", "",
        markdown_table(["defect", "named check", "caught (standard suite)", "caught (random customers)"], rows,
                       align="llrr"), "",
        markdown_table(["correct answers", "failing any check (false positives)"],
                       [["standard suite", cell(standard)], ["random customers", cell(random)]], align="lr"),
    ])


def bottlenecks(figures: list[RouteFigures]) -> str:
    lines = ["## Bottleneck analysis", "",
             "Per stage, the candidate's own attempt (even when its answer was rejected), medians over the successful "
             "units. The share is the stage's median over the route's end-to-end median; the bottleneck is the stage "
             "with the highest median."]
    for f in figures:
        total = f.latency.p50 if f.latency else None
        rows = []
        for name in STAGES:
            stage = f.stages[name]
            p50 = stage.latency.p50 if stage.latency else None
            rows.append([name, f"`{stage.model_key}`", ms(p50), share(p50 / total if p50 is not None and total else None),
                         ms(stage.ttft and stage.ttft.p50), DASH if stage.tokens_per_s is None else f"{stage.tokens_per_s:.1f}",
                         share(stage.valid_rate)])
        headers = ["stage", "model", "p50 ms", "share", "TTFT p50 ms", "tokens/s", "valid"]
        lines += ["", f"### `{f.label}`", "", markdown_table(headers, rows, align="llrrrrr"), "", bottleneck_sentence(f)]
    return "\n".join(lines)


def bottleneck_sentence(figures: RouteFigures) -> str:
    if figures.bottleneck is None or figures.latency is None:
        return "No successful unit, so no bottleneck."
    stage = figures.stages[figures.bottleneck].latency
    return (f"Bottleneck: **{figures.bottleneck}**, {ms(stage.p50)} ms of the {ms(figures.latency.p50)} ms median "
            f"({share(stage.p50 / figures.latency.p50) if figures.latency.p50 else DASH}).")


def recommendation(figures: list[RouteFigures]) -> str:
    """Rule-based: among routes of one catalog entry (a model or a council) that pass every promotion gate, the fastest median
    for `fast` and the best quality for `accurate`."""
    gates = (f"p95 ≤ {settings.BENCHMARK_GATE_P95_MS} ms, JSON validity ≥ {settings.BENCHMARK_GATE_JSON_VALIDITY}, "
             f"quality ≥ {settings.BENCHMARK_GATE_QUALITY}")
    lines = ["## Recommendation", "",
             f"The promotion gates (`BENCHMARK_GATE_*`): {gates}. Only a route of one catalog entry (a model or a "
             "council) can serve a slot; the fastest passing route is recommended for `fast`, the best-quality passing "
             "route for `accurate`."]
    candidates = [f for f in figures if f.single_model is not None]
    passing = [f for f in candidates if not gate_failures(f)]
    if not passing:
        lines += ["", "**No model passes every gate: keep the slots as they are.**"]
    else:
        fast = min(passing, key=lambda f: (f.latency.p50, f.latency.p95, -(f.quality or 0), f.label))
        accurate = min(passing, key=lambda f: (-(f.quality or 0), -(f.json_validity_rate or 0), f.latency.p50, f.label))
        lines += ["", f"- **fast → `{fast.single_model}`**: {figures_sentence(fast)}.{fast_rationale(fast, passing)}",
                  f"- **accurate → `{accurate.single_model}`**: {figures_sentence(accurate)}."
                  f"{accurate_rationale(accurate, passing)}"]
        lines += ["", "To apply it:", "", "```sh",
                  switch_command("fast", fast, "the fastest model that passes the gates"),
                  switch_command("accurate", accurate, "the best quality that passes the gates"), "```"]
    rejected = [f for f in candidates if gate_failures(f)]
    if rejected:
        lines += ["", "Held back by the gates:", ""]
        lines += [f"- `{f.label}`: {'; '.join(gate_failures(f))}" for f in rejected]
    combinations = [f for f in figures if f.single_model is None]
    if combinations:
        lines += ["", "Per-stage combinations (a slot serves one model; the routing policy's `stage_slots` send "
                  "a stage of a mode to another slot), each against the single-model routes of its models:", ""]
        lines += [f"- {combination_sentence(c, candidates)}" for c in combinations]
        passing_combinations = [c for c in combinations if c.latency and not gate_failures(c)]
        if passing_combinations:
            best = min(passing_combinations, key=lambda f: (f.latency.p50, -(f.quality or 0), f.label))
            lines += ["", f"The fastest combination that passes every gate is `{best.label}`: to serve `fast` that "
                      "way, point the other stages of `fast` at slots holding those models in the routing policy's "
                      "`stage_slots`."]
    return "\n".join(lines)


def combination_sentence(combination: RouteFigures, singles: list[RouteFigures]) -> str:
    sentence = (f"`{combination.label}`: {figures_sentence(combination)}, "
                f"whys by the model {share(combination.whys_by_candidate_rate)}")
    for single in singles:
        if single.single_model in combination.stage_models.values() and single.latency and combination.latency:
            ratio = single.latency.p50 / combination.latency.p50 if combination.latency.p50 else float("nan")
            sentence += (f"; against `{single.label}` alone: p50 {ms(single.latency.p50)} ms ({ratio:.2f}× this one's), "
                         f"quality {score(single.quality)}, whys by the model {share(single.whys_by_candidate_rate)}")
    return sentence + "."


def switch_command(slot: str, route: RouteFigures, reason: str) -> str:
    return shlex.join(["python", "manage.py", "switch_model", slot, route.single_model, "--reason", f"benchmark: {reason}"])


def figures_sentence(f: RouteFigures) -> str:
    return (f"p50 {ms(f.latency.p50)} ms and p95 {ms(f.latency.p95)} ms (n={f.latency.n}), JSON validity "
            f"{share(f.json_validity_rate)}, quality {score(f.quality)}, {usd(f.cost_per_recommendation)} per recommendation")


def fast_rationale(chosen: RouteFigures, passing: list[RouteFigures]) -> str:
    others = sorted((f for f in passing if f is not chosen), key=lambda f: f.latency.p50)
    if not others:
        return " It is the only model that passes every gate."
    runner_up = others[0]
    ratio = f" ({runner_up.latency.p50 / chosen.latency.p50:.2f}× this one's)" if chosen.latency.p50 else ""
    return f" The next passing model, `{runner_up.label}`, has a p50 of {ms(runner_up.latency.p50)} ms{ratio}."


def accurate_rationale(chosen: RouteFigures, passing: list[RouteFigures]) -> str:
    others = sorted((f for f in passing if f is not chosen), key=lambda f: -(f.quality or 0))
    if not others:
        return " It is the only model that passes every gate."
    runner_up = others[0]
    if (runner_up.quality or 0) == (chosen.quality or 0):
        return (f" It ties on quality with `{runner_up.label}` ({score(runner_up.quality)}) and is chosen on JSON "
                "validity, then median latency.")
    return f" The next passing model, `{runner_up.label}`, scores {score(runner_up.quality)}."


# Councils ------------------------------------------------------------------------------------


def councils(figures: list[RouteFigures]) -> str | None:
    """Each council route against the run's single models: does it beat the best of them, at what
    latency and cost, and whose answers it served. None when the run benchmarked no council."""
    by_key = {f.single_model: f for f in figures if f.single_model is not None}
    found = Council.objects.filter(model__key__in=by_key).select_related("model", "chairman").prefetch_related("members")
    if not found:
        return None
    singles = [f for key, f in by_key.items() if key not in {c.model.key for c in found}]
    lines = ["## Councils", "",
             "A council serves each stage with its members' answers, their anonymized peer ranking and the chairman's "
             "synthesis (docs/api.md, \"Councils\"). Here each is set beside the single models of the same run, on the "
             "same scenarios; quality and latency as in the decision matrix."]
    for council in found:
        lines += ["", council_paragraph(council, by_key[council.model.key], singles)]
    return "\n".join(lines)


def council_paragraph(council: Council, route: RouteFigures, singles: list[RouteFigures]) -> str:
    members = sorted(m.key for m in council.members.all())
    chairman = (f"chairman `{council.chairman.key}`, which serves the best-ranked answer"
                if council.chairman.prompt_style == "rules" else f"chairman `{council.chairman.key}`")
    lines = [f"### `{council.model.key}`", "",
             f"Members {', '.join(f'`{k}`' for k in members)}; {chairman}; at least {council.min_answers} answers; "
             f"synthesis after {council.ranking_share:.0%} of the rankings; step timeouts {council.answers_timeout_s:g} s, "
             f"{council.ranking_timeout_s:g} s, {council.synthesis_timeout_s:g} s.", ""]
    rows = [[f"`{f.label}`" + (" (member)" if f.single_model in members else ""), ms(f.latency and f.latency.p50),
             ms(f.latency and f.latency.p95), str(f.latency.n if f.latency else 0), score(f.quality),
             str(f.units - f.failed), usd(f.cost_per_recommendation)] for f in [route, *singles]]
    lines += [markdown_table(["route", "p50 ms", "p95 ms", "n", "quality", "quality n", "cost / rec"], rows, "lrrrrrr")]
    lines += ["", council_verdict(route, singles), "", served_table(route)]
    return "\n".join(lines)


def council_verdict(route: RouteFigures, singles: list[RouteFigures]) -> str:
    rated = [f for f in singles if f.quality is not None and f.latency]
    if route.quality is None or not route.latency or not rated:
        return "No single model of this run to compare it with."
    best = max(rated, key=lambda f: (f.quality, -f.latency.p50))
    if route.quality > best.quality:
        verdict = "beats"
    elif route.quality == best.quality:
        verdict = "ties with"
    else:
        verdict = "does not beat"
    ratio = f"{route.latency.p50 / best.latency.p50:,.0f}×" if best.latency.p50 else "—"
    return (f"**It {verdict} the best single model of the run**: quality {score(route.quality)} "
            f"(n={route.units - route.failed}) against `{best.label}`'s {score(best.quality)} "
            f"(n={best.units - best.failed}), at a median latency {ratio} that model's "
            f"({ms(route.latency.p50)} ms against {ms(best.latency.p50)} ms).")


def served_table(route: RouteFigures) -> str:
    """Per stage, over the route's measured units: whose answer was served, how many member
    answers were dropped, and how much the rankings agreed."""
    units = BenchmarkUnit.objects.filter(route_id=route.route_id, is_warmup=False,
                                         status=BenchmarkUnit.Status.SUCCEEDED).values_list("stages", flat=True)
    rows = []
    for stage in STAGES:
        served, dropped, agreements, councils_seen, asked, received = Counter(), 0, [], 0, 0, 0
        for stages in units:
            council = stages.get(stage, {}).get("council")
            if council is None:  # the council fell below its minimum: the stage went down its chain
                continue
            councils_seen += 1
            served[council["served_by"]] += 1
            dropped += sum(1 for m in council["members"] if m["answer"]["outcome"] != "ok")
            asked += council["ranking"]["asked"]
            received += council["ranking"]["received"]
            if council["ranking"]["agreement"] is not None:
                agreements.append(council["ranking"]["agreement"])
        tally = ", ".join(f"`{key}` {count}" for key, count in sorted(served.items(), key=lambda kv: (-kv[1], kv[0])))
        agreement = f"{sum(agreements) / len(agreements):.3f} (n={len(agreements)})" if agreements else DASH
        rows.append([stage, f"{councils_seen} of {len(units)}", tally or DASH, str(dropped), f"{received} of {asked}",
                     agreement])
    return "\n".join([
        "Whose answer each stage served (the served answer's model), member answers dropped (failed, timed out or "
        "refused), the peer rankings that came back valid of those asked (the rules engine does not rank; with none, "
        "the best-ranked answer is the first valid one by label), and their mean agreement (Kendall's tau, each "
        "ranking against the others'; it needs two):",
        "", markdown_table(["stage", "served by the council", "served by", "answers dropped", "rankings received",
                            "ranking agreement"], rows, "lrlrrr")])
