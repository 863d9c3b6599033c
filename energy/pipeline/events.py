"""What a pipeline run reports as it goes, for whoever listens: the progress a queued request
records, the events a streamed answer sends. Every method is a no-op here; listeners override
what they need. A listener must be quick: the pipeline awaits it."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from energy.pipeline.facts import Facts
    from energy.pipeline.runner import StageResult


class PipelineEvents:
    async def facts_ready(self, facts: "Facts") -> None:
        """The deterministic facts are computed: every plan's exact costs and reference rank."""

    async def stage_started(self, stage: str, model_key: str) -> None:
        """`model_key`: the first model of the stage's chain."""

    async def stage_finished(self, stage: str, result: "StageResult") -> None:
        """The stage is served (by `result.model_key`, perhaps after fallbacks)."""

    async def council_step(self, stage: str, step: str, data: dict) -> None:
        """A council serving `stage` has one result of a step (energy.pipeline.council): a member's
        `answer`, a member's `ranking`, or the `synthesis`."""

    async def narrative_text(self, plan_id: int, model_key: str, text: str) -> None:
        """A piece of a plan's "why" as the model generates it. Provisional: the stage may still
        refuse it (and take the rules engine's why instead); the result has the final text."""
