"""The catalog change log: every edit of a routing policy, tier, model or provider, audited.
SlotChange now shares its fields through an abstract base, with its table unchanged."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0012_rating_collection_schedule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("forced", models.BooleanField(default=False, help_text="The live probe was overridden")),
                ("reason", models.TextField()),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("kind", models.CharField(choices=[("edit", "Edit"), ("rollback", "Rollback"), ("create", "Create"),
                                                   ("delete", "Delete")], default="edit", max_length=20)),
                ("object_type", models.CharField(choices=[("policy", "routing policy"), ("tier", "tier"),
                                                          ("model", "model"), ("provider", "provider")],
                                                 max_length=16)),
                ("object_id", models.PositiveIntegerField()),
                ("object_label", models.CharField(help_text="The object's name or key when the change was made",
                                                  max_length=200)),
                ("before", models.JSONField(blank=True, default=dict, help_text="The changed fields' values before")),
                ("after", models.JSONField(blank=True, default=dict, help_text="The changed fields' values after")),
                ("acting_user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                  to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "abstract": False,
                "indexes": [models.Index(fields=["object_type", "object_id"], name="catalogchange_object")],
                "constraints": [models.CheckConstraint(condition=~models.Q(reason=""), name="catalogchange_has_reason")],
            },
        ),
    ]
