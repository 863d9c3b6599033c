from django.apps import AppConfig


class EnergyConfig(AppConfig):
    name = "energy"
    verbose_name = "Recommendations"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django_q.signals import post_spawn

        from energy import (
            checks,  # noqa: F401  (registers the system checks)
            local_copies,
        )
        from energy.models import ApiKey, Plan
        from energy.shutdown import install_worker_handler

        post_spawn.connect(install_worker_handler, dispatch_uid="energy.shutdown")
        local_copies.connect("plans", Plan)
        # A key acts with its user's permissions: a user's or a group's change is a key's change.
        user = get_user_model()
        local_copies.connect("api-keys", ApiKey, user, user.groups.through, user.user_permissions.through,
                             Group.permissions.through)
