"""django-q2 tasks: thin wrappers that take ids and call an action."""

from energy import actions, recommendation_records


def run_recommendation(recommendation_id: str) -> None:
    actions.run_queued_recommendation(recommendation_id)


def reap_stale_recommendations() -> dict[str, int]:
    """Scheduled every 5 minutes by the migration energy.0004: fail what a dead process left unfinished."""
    return recommendation_records.reap_stale_recommendations()
