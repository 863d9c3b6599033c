"""The seed councils (issue 16): one per tier, each composed of that tier's kind of model, and
created only where the catalog has the models it is made of. A council whose members cannot
serve here (their provider's secret is not in the environment) starts disabled, as such a model
does; a re-seed never changes a council that exists."""

from evaluation.catalog.councils import Composition, compose_council
from evaluation.catalog.routes import council_spec
from evaluation.models import AIModel

COUNCILS: dict[str, Composition] = {
    # Small hosted models answer in about a second each: a council of three costs about four calls' time.
    "council/speed": Composition(
        members=("workers-ai/llama-3.1-8b-instruct-fast", "workers-ai/mistral-7b-instruct", "workers-ai/gemma-3-12b-it"),
        chairman="workers-ai/llama-3.1-8b-instruct-fast", min_answers=2, ranking_share=0.67,
        answers_timeout_s=8, ranking_timeout_s=4, synthesis_timeout_s=8,
        display_name="Council of small hosted models (Workers AI)"),
    "council/balanced": Composition(
        members=("workers-ai/llama-3.3-70b-instruct-fp8-fast", "openrouter/gpt-4o-mini", "openrouter/claude-3.5-haiku",
                 "openrouter/gemini-1.5-flash"),
        chairman="workers-ai/llama-3.3-70b-instruct-fp8-fast", min_answers=2, ranking_share=0.75,
        answers_timeout_s=10, ranking_timeout_s=5, synthesis_timeout_s=10,
        display_name="Council of hosted models from two providers"),
    # Everything on this machine: two configurations of the embedded model rank each other's answers
    # and the rules engine's; the rules engine as chairman serves the best-ranked one (no extra call).
    "council/local": Composition(
        members=("local/gemma-3-270m", "local/gemma-3-270m-short-whys", "builtin/rules"),
        chairman="builtin/rules", min_answers=2, ranking_share=1.0,
        answers_timeout_s=15, ranking_timeout_s=8, synthesis_timeout_s=15,
        display_name="Council of the embedded model's configurations and the rules engine"),
}


def seed_councils() -> int:
    """Create the missing councils whose models are in the catalog; return how many were created."""
    known = set(AIModel.objects.values_list("key", flat=True))
    created = 0
    for key, composition in COUNCILS.items():
        if key in known or not {*composition.members, composition.chairman} <= known:
            continue
        compose_council(key, composition, acting_user=None, reason="seed catalog")
        entry = AIModel.objects.select_related("provider").get(key=key)
        if council_spec(entry) is None or not all(m.provider.secret_configured for m in entry.council.members.all()):
            entry.status = AIModel.Status.DISABLED
            entry.save(update_fields=["status"])
        created += 1
    return created
