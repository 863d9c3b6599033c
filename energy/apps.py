from django.apps import AppConfig


class EnergyConfig(AppConfig):
    name = "energy"
    verbose_name = "Recommendations"

    def ready(self) -> None:
        from energy import checks  # noqa: F401  (registers the system checks)
