"""Chief editors manage webhook endpoints and read the delivery log (editable in the admin)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CHIEF_EDITOR_PERMISSIONS = [
    "add_endpoint",
    "change_endpoint",
    "delete_endpoint",
    "view_endpoint",
    "view_delivery",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("webhooks")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name="Chief editor").first()
    if group is not None:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="webhooks", codename__in=CHIEF_EDITOR_PERMISSIONS)
        )


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Chief editor").first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(content_type__app_label="webhooks"))


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("articles", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
