"""The demo API key, created once. Its raw value exists only in the return value."""

from energy.models import ApiKey

DEMO_KEY_NAME = "demo"


def seed_demo_key() -> tuple[ApiKey, str | None]:
    """The demo key and its raw value when created now; `(key, None)` when it already
    existed, because only a hash of it was ever stored."""
    existing = ApiKey.objects.filter(name=DEMO_KEY_NAME).order_by("created_at", "id").first()
    if existing is not None:
        return existing, None
    return ApiKey.generate(DEMO_KEY_NAME)
