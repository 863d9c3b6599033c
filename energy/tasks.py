"""django-q2 tasks: thin wrappers that take ids and call an action."""

from energy.actions import run_queued_recommendation


def run_recommendation(recommendation_id: str) -> None:
    run_queued_recommendation(recommendation_id)
