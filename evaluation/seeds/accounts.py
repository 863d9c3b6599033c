"""Demo groups and users: operators run the catalog, product staff look and rate.

Group permissions are set when a group is created and never reset, so that permissions an
administrator removed stay removed after a re-seed; the same holds for users' groups and
passwords.
"""

import secrets
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from energy.env import envsecret

OPERATORS = "Operators"
PRODUCT_STAFF = "Product staff"
PASSWORD_ENV = "DEMO_PASSWORD"
CRUD = ("add", "change", "delete", "view")
# Which model served each request: kept from raters, who could otherwise find the model behind a
# live output they rate (issue 14, 4).
SERVING_RECORDS = ("energy.view_recommendation", "energy.view_llmcall")
# The catalog's models and councils: their quality figures move with ratings (evaluation/ratings/blind.py).
MODEL_FIGURES = ("evaluation.view_aimodel", "evaluation.view_council")


@dataclass(frozen=True)
class DemoUser:
    username: str
    group: str | None
    is_superuser: bool = False


DEMO_USERS = (
    DemoUser("operator", OPERATORS),
    DemoUser("staff", PRODUCT_STAFF),
    DemoUser("admin", None, is_superuser=True),
)


def model_permissions(app_label: str, actions: tuple[str, ...], model_name: str | None = None) -> list[str]:
    """`app_label.action_model` names for every model of the app, or for one model."""
    return [
        f"{app_label}.{action}_{model._meta.model_name}"
        for model in apps.get_app_config(app_label).get_models()
        if model_name in (None, model._meta.model_name)
        for action in actions
    ]


def group_permissions() -> dict[str, list[str]]:
    return {
        OPERATORS: [
            *model_permissions("evaluation", CRUD),
            "evaluation.switch_slot",
            "evaluation.rate_output",
            *model_permissions("energy", ("view",)),
            *model_permissions("energy", ("add", "change"), model_name="apikey"),
        ],
        PRODUCT_STAFF: [
            *(name for name in model_permissions("evaluation", ("view",)) if name not in MODEL_FIGURES),
            "evaluation.rate_output",
            *(name for name in model_permissions("energy", ("view",)) if name not in SERVING_RECORDS),
        ],
    }


def find_permissions(names: list[str]) -> list[Permission]:
    """The Permission rows for `app_label.codename` names; all of them, or an error."""
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(query).select_related("content_type"))
    missing = set(names) - {f"{p.content_type.app_label}.{p.codename}" for p in found}
    if missing:
        # Permissions are created by migrate's post_migrate signal.
        raise LookupError(f"permissions missing (run `manage.py migrate` first): {', '.join(sorted(missing))}")
    return found


def seed_groups() -> list[str]:
    """Create the missing groups with their permissions; return the names created."""
    created_names = []
    for name, permission_names in group_permissions().items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.set(find_permissions(permission_names))
            created_names.append(name)
    return created_names


def demo_password() -> tuple[str, bool]:
    """The demo users' password and whether it was generated: DEMO_PASSWORD when set, otherwise a
    random one per install (a known default would open every demo that is left running)."""
    password = envsecret(PASSWORD_ENV)
    return (password, False) if password else (secrets.token_urlsafe(12), True)


def seed_users(password: str) -> list[str]:
    """Create the missing demo users; return the usernames created."""
    user_model = get_user_model()
    created_names = []
    for demo in DEMO_USERS:
        user, created = user_model.objects.get_or_create(
            username=demo.username,
            defaults={"is_staff": True, "is_superuser": demo.is_superuser},
        )
        if not created:
            continue
        user.set_password(password)
        user.save(update_fields=["password"])
        if demo.group:
            user.groups.add(Group.objects.get(name=demo.group))
        created_names.append(demo.username)
    return created_names
