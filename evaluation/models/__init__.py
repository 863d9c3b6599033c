"""The evaluation app's tables, one module per concern; every model is importable from here."""

from .benchmarks import BenchmarkRoute, BenchmarkRun, BenchmarkSuite, BenchmarkUnit, Scenario
from .catalog import AIModel, AuditedChange, CatalogChange, ModelProbe, Provider
from .councils import Council
from .judges import JudgeScore, Judging
from .ratings import PairwiseComparison, QualityRating, QualityRatingRevision, RatingCollectionMark, RatingItem
from .slots import LiveFigureBucket, RoutingPolicy, Slot, SlotChange, Tier

__all__ = [
    "AIModel", "AuditedChange", "BenchmarkRoute", "BenchmarkRun", "BenchmarkSuite", "BenchmarkUnit",
    "CatalogChange", "Council", "JudgeScore", "Judging", "LiveFigureBucket", "ModelProbe", "PairwiseComparison",
    "Provider", "QualityRating", "QualityRatingRevision", "RatingCollectionMark", "RatingItem", "RoutingPolicy",
    "Scenario", "Slot", "SlotChange", "Tier",
]
