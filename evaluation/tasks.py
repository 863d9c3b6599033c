"""django-q2 tasks: thin wrappers that take ids and call into the catalog."""

from evaluation.health import probe_slots as _probe_slots


def probe_slots() -> int:
    """Scheduled every minute by the migration evaluation.0003: probe every slot's models."""
    return len(_probe_slots())
