"""System checks: reject a bad configuration at start-up, not at 3 a.m."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


@register()
def check_route_resolver(app_configs, **kwargs):
    try:
        import_string(settings.ENERGY_ROUTE_RESOLVER)
    except ImportError as exc:
        return [Error(f"ENERGY_ROUTE_RESOLVER cannot be imported: {exc}", id="energy.E001")]
    return []


@register()
def check_api_key_limits(app_configs, **kwargs):
    """API key limits (energy/rate_limits.py): counts, so 0 or more; a burst lets in at least one."""
    errors = [Error(f"{name} must be 0 (no limit) or more, not {getattr(settings, name)}", id="energy.E002")
              for name in ("API_KEY_RATE_PER_MINUTE", "API_KEY_DAILY_QUOTA", "API_KEY_MAX_QUEUED")
              if getattr(settings, name) < 0]
    if settings.API_KEY_RATE_BURST < 1:
        errors.append(Error(f"API_KEY_RATE_BURST must be 1 or more, not {settings.API_KEY_RATE_BURST}",
                            id="energy.E002"))
    return errors
