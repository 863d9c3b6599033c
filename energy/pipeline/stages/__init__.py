from energy.pipeline.stages.narrative import Narrative
from energy.pipeline.stages.plan_scoring import PlanScoring
from energy.pipeline.stages.usage_summary import UsageSummary

STAGE_CLASSES = {stage.name: stage for stage in (UsageSummary, PlanScoring, Narrative)}
