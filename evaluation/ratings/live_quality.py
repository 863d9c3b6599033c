"""The automatic quality of a sampled live recommendation, for the route it asked: the same
checks as a benchmark unit's (evaluation.benchmarks.quality), scaled by the share of the answer
the asked models wrote themselves. A stage the rules engine (or a fallback model) served because
the asked model's answer was refused is perfect output, but no credit to the asked model."""

import logging
from typing import Any

from energy.offers import UnknownPlanError, build_inputs
from energy.pipeline.facts import compute_facts
from energy.pipeline.stages.base import OutputInvalid
from energy.schemas import RecommendationIn
from evaluation.benchmarks.quality import CHECKS, asked_model_quality, recommendations

logger = logging.getLogger(__name__)


def stage_shares(asked: dict[str, str], models_used: dict[str, str], errors: list, whys: int) -> list[float]:
    """Per stage, how much of its answer the asked model wrote: nothing when another model served
    it; for the narrative, the share of whys not refused and replaced (an error naming the plan)."""
    shares = []
    for stage, served in models_used.items():
        if served != asked.get(stage):
            shares.append(0.0)
            continue
        replaced = {error.get("plan_id") for error in errors or [] if isinstance(error, dict)
                    and error.get("stage") == stage and error.get("model") == served and error.get("plan_id") is not None}
        shares.append(1 - len(replaced) / whys if whys and replaced else 1.0)
    return shares


def live_quality(inputs: dict, data: dict[str, Any], asked: dict[str, str], models_used: dict[str, str],
                 errors: list) -> float | None:
    """0–1, or None when the request can no longer be replayed into facts (a plan it named is gone)."""
    try:
        facts = compute_facts(build_inputs(RecommendationIn.model_validate(inputs)))
    except (UnknownPlanError, OutputInvalid, ValueError):
        logger.warning("live sample not scored: its inputs no longer build facts", exc_info=True)
        return None
    scores = [check(facts, data).score for check in CHECKS.values()]
    return asked_model_quality(scores, stage_shares(asked, models_used, errors, len(recommendations(data))))
