"""Take from the Product staff group of existing installations the view of recommendations and
LLM calls: both say which model served each request, and a rater who could read them could find
the model behind a live output they are rating (issue 14, 4). Also the view of the catalog's
models, whose quality figures move with each rating. seed_demo gives new groups the same
permissions (evaluation/seeds/accounts.py)."""

from django.db import migrations

GROUP = "Product staff"
CODENAMES = {"energy": ("view_recommendation", "view_llmcall"), "evaluation": ("view_aimodel",)}


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is None:  # a fresh install: seed_demo creates the group without them
        return
    Permission = apps.get_model("auth", "Permission")
    for app_label, codenames in CODENAMES.items():
        group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0018_blind_rating_ids_and_pairs"), ("energy", "0010_api_key_scopes_and_expiry"),
                    ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
