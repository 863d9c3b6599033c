"""Give the rating permission to the Operators and Product staff groups of installations
seeded before ratings existed (seed_demo never changes an existing group's permissions)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Operators", "Product staff")


def grant(apps, schema_editor):
    groups = apps.get_model("auth", "Group").objects.filter(name__in=GROUPS)
    if not groups.exists():  # a fresh install: seed_demo creates the groups with it
        return
    # Permissions are normally created after all migrations; this one is needed now.
    app_config = apps.get_app_config("evaluation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    permission = apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="evaluation", codename="rate_output")
    for group in groups:
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0006_ratings"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
