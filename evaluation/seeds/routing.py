"""The default routing policy and the three tiers (speed / balanced / cost)."""

from evaluation.models import RoutingPolicy, Tier

DEFAULT_POLICY = {
    # A fast request asks the model only for the narrative: the usage summary and the plan scores
    # restate the facts, which the rules engine does exactly and at once. Benchmarked on the
    # embedded model (docs/ai-model-analysis.md, "Per-stage combinations"): p50 1,621 ms and
    # quality 0.945, against 2,083 ms and 0.804 with the model on every stage. Other stages use
    # the slot named like the request's mode.
    "stage_slots": {"fast": {"usage_summary": "exact", "plan_scoring": "exact"}},
    "fallback_slots": {"fast": ["accurate"], "accurate": []},
    "rules": [],
}

TIERS = [
    {"name": "speed", "description": "Hosted 8B for fast, a council of small hosted models for accurate: "
                                     "low latency, pay per token.",
     "assignments": {"fast": "workers-ai/llama-3.1-8b-instruct-fast", "accurate": "council/speed"}},
    {"name": "balanced", "description": "Embedded Gemma for fast, a council of hosted models (70B chairman) for accurate.",
     "assignments": {"fast": "local/gemma-3-270m", "accurate": "council/balanced"}},
    {"name": "cost", "description": "Everything on this machine: embedded Gemma, then the rules engine. No token cost.",
     "assignments": {"fast": "local/gemma-3-270m", "accurate": "builtin/rules"}},
]


def seed_routing() -> int:
    """Create the policy row and the missing tiers; never change existing ones. Returns new tiers."""
    RoutingPolicy.objects.get_or_create(pk=1, defaults=DEFAULT_POLICY)
    created = 0
    for tier in TIERS:
        created += Tier.objects.get_or_create(name=tier["name"], defaults=tier)[1]
    return created
