"""Read back what a caller recorded."""

from energy.models import LLMCall


async def calls_of(context: str = "resilience") -> list[tuple[int, str, str]]:
    """(attempt, status, error_class) of every LLMCall row with this context, oldest first."""
    return [(c.attempt, c.status, c.error_class) async for c in LLMCall.objects.filter(context=context).order_by("pk")]
