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
