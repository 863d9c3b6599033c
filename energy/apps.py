from django.apps import AppConfig


class EnergyConfig(AppConfig):
    name = "energy"
    verbose_name = "Recommendations"

    def ready(self) -> None:
        from django_q.signals import post_spawn

        from energy import checks  # noqa: F401  (registers the system checks)
        from energy.shutdown import install_worker_handler

        post_spawn.connect(install_worker_handler, dispatch_uid="energy.shutdown")
