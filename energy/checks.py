"""System checks: reject a bad configuration at start-up, not at 3 a.m."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.module_loading import import_string


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    if settings.SECRET_KEY == settings.INSECURE_DEV_SECRET_KEY and not settings.DEBUG:
        return [Warning("DJANGO_SECRET_KEY is not set; using the insecure development key.", id="energy.W001")]
    return []


@register()
def check_route_resolver(app_configs, **kwargs):
    try:
        import_string(settings.ENERGY_ROUTE_RESOLVER)
    except ImportError as exc:
        return [Error(f"ENERGY_ROUTE_RESOLVER cannot be imported: {exc}", id="energy.E001")]
    return []
