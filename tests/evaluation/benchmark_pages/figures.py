"""Route figures built by hand, for the gates: one that passes every default threshold."""

from evaluation.benchmarks.aggregates import RouteFigures
from evaluation.figures import Percentiles

PASSING = RouteFigures(
    route_id=1, label="local/candidate", units=20, failed=0, error_rate=0.0, json_validity_rate=0.95, quality=0.8,
    stage_models=dict.fromkeys(("usage_summary", "plan_scoring", "narrative"), "local/candidate"),
    latency=Percentiles(p50=1200.0, p90=3000.0, p95=5000.0, p99=6500.0, n=20), cost_per_recommendation=0.0004,
)
