"""The automatic quality checks of one recommendation: is every plan real, every quoted number
a fact, every hard constraint respected, the ranking the deterministic one, every
"why" grounded, and (in a benchmark) did the candidate model serve every stage itself?

Each check is a pure function of the facts and the assembled response data, so the same checks
score a live recommendation, a benchmark unit and a stored output. The checks are written for
any output, not only the pipeline's validated ones (a naive pipeline's output is scored too):
a missing or mistyped field fails a check, it never raises.
"""

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from itertools import combinations, zip_longest
from typing import Any

from energy.pipeline.facts import Facts, PlanFacts
from energy.pipeline.numbers import matches_a_fact, numbers_in
from energy.pipeline.orchestrator import PipelineResult
from energy.pipeline.stages.base import OutputInvalid
from energy.pipeline.stages.narrative import check_why, plan_numbers
from energy.pipeline.stages.usage_summary import usage_numbers

MAX_PROBLEMS_SHOWN = 3  # in a check's detail; the score counts them all
HALF_A_HUNDREDTH = Decimal("0.005")
USAGE_FIELDS = ("total_kwh", "average_monthly_kwh", "peak_kwh", "lowest_kwh")


@dataclass(frozen=True)
class CheckResult:
    passed: bool
    score: float  # 0–1
    detail: str


@dataclass(frozen=True)
class QualityReport:
    checks: dict[str, CheckResult]

    @property
    def score(self) -> float:
        """The mean of the check scores, 0–1."""
        return sum(check.score for check in self.checks.values()) / len(self.checks)

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks.values())

    def as_dict(self) -> dict[str, Any]:
        return {"score": self.score, "passed": self.passed,
                "checks": {name: asdict(check) for name, check in self.checks.items()}}


def check_recommendation(facts: Facts, result: PipelineResult, *, candidate_keys: Collection[str] | None = None
                         ) -> QualityReport:
    """Every check on `result.data`; `served_by_candidate` too when the candidate's model keys are given."""
    checks = {name: check(facts, result.data) for name, check in CHECKS.items()}
    if candidate_keys is not None:
        checks["served_by_candidate"] = served_by_candidate(result.models, candidate_keys, result.narrative_sources)
    return QualityReport(checks)


def asked_model_quality(check_scores: Sequence[float], stage_shares: Sequence[float]) -> float:
    """An output's quality for the model(s) asked to serve it: the output checks' mean, scaled by
    the share of the stages' answers they wrote themselves. A stage (or a why) the rules engine
    answered after the asked model's answer was refused is perfect output, but no credit to the
    model asked: its failure, never another model's success."""
    served = sum(stage_shares) / len(stage_shares) if stage_shares else 1.0
    return round(sum(check_scores) / len(check_scores) * served, 4)


# The checks -------------------------------------------------------------------------------


def plan_ids_exist(facts: Facts, data: dict[str, Any]) -> CheckResult:
    by_id = facts.by_id
    recommended = recommendations(data)
    problems = [f"plan {rec.get('plan_id')!r} does not exist" for rec in recommended if plan_of(by_id, rec) is None]
    return tally(len(recommended), problems, "every recommended plan id is a plan in the facts")


def numbers_match_facts(facts: Facts, data: dict[str, Any]) -> CheckResult:
    """Every number the output states matches a fact. Structured fields exactly (`exact`: an API
    client computes with them): the money fields to the cent, a plan's renewable share and contract
    length to the unit, and the usage statistics to a hundredth of a kWh (they are facts the
    response copies, never a model's estimate, so a peak reported as another month's kWh or a total
    a kWh off is wrong however close). The numbers in a text within 0.5 % (`matches_a_fact`: "about
    $1,650 a year" is a rounding a person accepts). A number left out is not checked; a number with
    no fact behind it (an unknown plan's cost, savings without a current plan, a thirteenth month)
    does not match. Score: the share of numbers that match."""
    quoted = usage_summary_numbers(facts, data)
    by_id = facts.by_id
    for rank, rec in enumerate(recommendations(data), start=1):
        quoted += recommendation_numbers(facts, rec, plan_of(by_id, rec), rank)
    problems = [where for where, matches in quoted if not matches]
    return tally(len(quoted), problems, f"all {len(quoted)} quoted numbers match the facts")


def constraints_respected(facts: Facts, data: dict[str, Any]) -> CheckResult:
    """While some plan meets every hard constraint, every recommended plan must; when none
    does, the response must say so in its `notice`."""
    if not facts.constraints_satisfiable:
        notice = data.get("notice")
        if isinstance(notice, str) and notice.strip():
            return CheckResult(True, 1.0, "no plan meets every hard constraint, and the response says so")
        return CheckResult(False, 0.0, "no plan meets every hard constraint, but the response has no notice")
    by_id = facts.by_id
    recommended = recommendations(data)
    problems = []
    for rec in recommended:
        plan = plan_of(by_id, rec)
        if plan is None:
            problems.append(f"plan {rec.get('plan_id')!r} does not exist, so it meets no constraint")
        elif not plan.eligible:
            problems.append(f"plan {plan.plan.id} breaks the {', '.join(plan.violations)} constraint")
    return tally(len(recommended), problems, "every recommended plan meets every hard constraint")


def ranking_agreement(facts: Facts, data: dict[str, Any]) -> CheckResult:
    """Kendall tau-b between the output ranking and the deterministic one; score (tau + 1) / 2,
    passed only when the output ranking is the reference ranking, plan for plan. The reference
    is a stated rule with no ties (docs/ranking.md), so any other order, even two neighbours
    swapped, breaks it; the score still gives such an order partial credit.

    The plans compared are the recommended ones together with the reference top-N
    (`facts.reference_ranking`). A plan's reference rank is its full position in `facts.plans`
    (the reference order, no ties); its output rank is its position in the recommendations, and
    the reference plans the output left out share the rank after the last one. So reordering
    the top-N costs discordant pairs, and so does choosing a plan from outside it: the chosen
    plan is ranked above a reference plan that beats it. An unknown plan id ranks below every
    real plan.

    With a single plan to compare (one recommended, and it is the reference #1) or none at
    all, tau is undefined: the score is then 1.0 when the output ranking is the reference
    ranking, else 0.0.
    """
    by_id = facts.by_id
    recommended = recommendations(data)
    # An unknown id becomes a marker of its position, so that two unknown plans stay two items.
    chosen = list(dict.fromkeys(rec["plan_id"] if plan_of(by_id, rec) else ("unknown", n) for n, rec in enumerate(recommended)))
    reference = list(facts.reference_ranking)
    compared = chosen + [plan_id for plan_id in reference if plan_id not in chosen]
    output_rank = {plan_id: position for position, plan_id in enumerate(chosen)}
    reference_rank = {p.plan.id: position for position, p in enumerate(facts.plans)}
    tau = kendall_tau([output_rank.get(p, len(chosen)) for p in compared],
                      [reference_rank.get(p, len(facts.plans)) for p in compared])
    shown = f"output {[rec.get('plan_id') for rec in recommended]}, reference {reference}"
    if math.isnan(tau):
        same = chosen == reference
        return CheckResult(same, 1.0 if same else 0.0, f"tau undefined over {len(compared)} plan(s); {shown}")
    return CheckResult(chosen == reference, (tau + 1) / 2, f"tau {tau:+.3f} over {len(compared)} plans; {shown}")


def why_grounded(facts: Facts, data: dict[str, Any]) -> CheckResult:
    """Each recommendation has a "why" that passes the narrative stage's own check: present,
    short, no claim that contradicts its plan, no number that is not a fact. Score: the share
    of whys that pass."""
    by_id = facts.by_id
    recommended = recommendations(data)
    problems = []
    for rank, rec in enumerate(recommended, start=1):
        plan = plan_of(by_id, rec)
        if plan is None:
            problems.append(f"plan {rec.get('plan_id')!r} does not exist, so its why has no facts")
            continue
        try:
            check_why(rec.get("why"), plan, rank, facts)
        except OutputInvalid as exc:
            problems.append(str(exc))
    return tally(len(recommended), problems, "every recommendation has a why that states only facts")


def served_by_candidate(models: dict[str, str], candidate_keys: Collection[str],
                        narrative_sources: Sequence[dict[str, Any]] = ()) -> CheckResult:
    """The share of stages whose answer came from the candidate: a stage served by another
    model (the rules engine, after a fallback) means the candidate's own answer was rejected.
    A narrative the candidate served counts for the share of whys it wrote: the others were
    refused and replaced with the rules engine's (`PipelineResult.narrative_sources`)."""
    shares = {stage: float(key in candidate_keys) for stage, key in models.items()}
    problems = [f"{stage} was served by {key}" for stage, key in models.items() if key not in candidate_keys]
    replaced = [source for source in narrative_sources if source["reason"] is not None]
    if replaced and shares.get("narrative"):
        shares["narrative"] = 1 - len(replaced) / len(narrative_sources)
        shown = ", ".join(f"plan {source['plan_id']}: {source['reason']}" for source in replaced)
        problems.append(f"narrative: {len(replaced)} of {len(narrative_sources)} whys replaced by the rules engine's "
                        f"({shown})")
    check = tally(len(models), problems, "the candidate served every stage")
    return replace(check, score=sum(shares.values()) / len(shares)) if shares else check


CHECKS: dict[str, Callable[[Facts, dict[str, Any]], CheckResult]] = {
    "plan_ids_exist": plan_ids_exist,
    "numbers_match_facts": numbers_match_facts,
    "constraints_respected": constraints_respected,
    "ranking_agreement": ranking_agreement,
    "why_grounded": why_grounded,
}


# Kendall tau ------------------------------------------------------------------------------


def kendall_tau(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Kendall's tau-b between two rankings of the same items: `a[i]` and `b[i]` are item i's
    rank (or score) in each. 1.0 when they order every pair alike, -1.0 when they order every
    pair oppositely; ties are allowed (tau-b corrects for them). NaN when it is undefined: fewer
    than two items, or one ranking ties every item. O(n²), for the short lists of a top-N.

        (concordant − discordant) / sqrt(pairs not tied in a · pairs not tied in b)
    """
    if len(a) != len(b):
        raise ValueError(f"rankings of different lengths: {len(a)} and {len(b)}")
    agreement = untied_a = untied_b = 0
    for i, j in combinations(range(len(a)), 2):
        order_a, order_b = sign(a[i], a[j]), sign(b[i], b[j])
        agreement += order_a * order_b
        untied_a += order_a != 0
        untied_b += order_b != 0
    if not untied_a or not untied_b:
        return math.nan
    return agreement / math.sqrt(untied_a * untied_b)


def sign(x: Any, y: Any) -> int:
    return (x > y) - (x < y)


# Reading an output ------------------------------------------------------------------------


def recommendations(data: dict[str, Any]) -> list[dict[str, Any]]:
    found = data.get("recommendations")
    if not isinstance(found, list):
        return []
    return [rec if isinstance(rec, dict) else {} for rec in found]


def plan_of(by_id: dict[int, PlanFacts], rec: dict[str, Any]) -> PlanFacts | None:
    plan_id = rec.get("plan_id")
    if not isinstance(plan_id, int) or isinstance(plan_id, bool):
        return None
    return by_id.get(plan_id)


def usage_summary_numbers(facts: Facts, data: dict[str, Any]) -> list[tuple[str, bool]]:
    """(where, matches) for the summary's usage statistics and each number in its text."""
    summary = data.get("usage_summary")
    if not isinstance(summary, dict):
        return []
    usage = facts.usage.as_dict()
    quoted = [(f"usage_summary.{field} is {summary[field]!r}, the facts say {usage[field]}", exact(summary[field], usage[field]))
              for field in USAGE_FIELDS if summary.get(field) is not None]
    return quoted + text_numbers("summary", summary.get("summary"), usage_numbers(facts))


def recommendation_numbers(facts: Facts, rec: dict[str, Any], plan: PlanFacts | None, rank: int) -> list[tuple[str, bool]]:
    """(where, matches) for one recommendation's structured numbers and each number in its why."""
    expected = {} if plan is None else {
        "projected_annual_cost": plan.annual_cost, "annual_savings": plan.annual_savings,
        "renewable_pct": plan.plan.renewable_pct, "contract_months": plan.plan.contract_months,
    }
    stated = [(field, rec.get(field), expected.get(field)) for field in
              ("projected_annual_cost", "annual_savings", "renewable_pct", "contract_months")]
    monthly = rec.get("projected_monthly_costs")
    monthly = monthly if isinstance(monthly, list) else []
    stated += [(f"projected_monthly_costs[{month}]", value, fact) for month, (value, fact)
               in enumerate(zip_longest(monthly, () if plan is None else plan.monthly_costs))]
    where = f"plan {rec.get('plan_id')!r}"
    quoted = [(f"{where} {field} is {value!r}, the facts say {fact}", exact(value, fact))
              for field, value, fact in stated if value is not None]
    if plan is None:
        names = tuple(name for name in (rec.get("plan_name"), rec.get("provider")) if isinstance(name, str))
        return quoted + text_numbers(f"{where} why", rec.get("why"), usage_numbers(facts), ignore=names)
    allowed = plan_numbers(plan, rank) + usage_numbers(facts)
    return quoted + text_numbers(f"{where} why", rec.get("why"), allowed, ignore=(plan.plan.name, plan.plan.provider))


def text_numbers(where: str, text: Any, allowed: list[float], *, ignore: tuple[str, ...] = ()) -> list[tuple[str, bool]]:
    if not isinstance(text, str):
        return []
    return [(f"{where} states {number}, not a fact", matches_a_fact(number, allowed))
            for number in numbers_in(text, ignore=ignore)]


def exact(value: Any, fact: Any) -> bool:
    """Equal to the fact to the hundredth (the cent of an amount, the hundredth of a kWh, so the
    unit of a share or a number of months): off by less than half a hundredth, which a float of
    the exact figure always is and a hundredth off never is."""
    if fact is None or isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return False
    fact = Decimal(repr(fact)) if isinstance(fact, float) else Decimal(fact)
    return abs(Decimal(repr(value)) - fact) < HALF_A_HUNDREDTH


def tally(total: int, problems: list[str], ok: str) -> CheckResult:
    """A check over `total` items of which `len(problems)` fail: score is the share that pass
    (1.0 when there is nothing to check)."""
    score = 1.0 if total == 0 else (total - len(problems)) / total
    if not problems:
        return CheckResult(True, score, ok)
    shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
    more = len(problems) - MAX_PROBLEMS_SHOWN
    return CheckResult(False, score, f"{len(problems)} of {total} failed: {shown}" + (f"; and {more} more" if more > 0 else ""))
