"""The newsroom roles as groups with permissions. Editable later in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.submit_article",
    "articles.view_section",
    "articles.view_tag",
    "articles.add_tag",
    "articles.view_relatedlink",
    "articles.add_relatedlink",
    "articles.change_relatedlink",
    "articles.delete_relatedlink",
    "media.add_mediaitem",
    "media.change_mediaitem",
    "media.view_mediaitem",
]
EDITOR = REPORTER + [
    "articles.edit_any_article",
    "articles.publish_article",
    "articles.add_section",
    "articles.change_section",
    "articles.change_tag",
    "articles.view_revision",
    "articles.view_auditentry",
    "articles.add_previewlink",
    "articles.view_previewlink",
    "articles.change_previewlink",
    "media.view_rendition",
]
CHIEF = EDITOR + [
    "articles.delete_article",
    "articles.delete_section",
    "articles.delete_tag",
    "media.delete_mediaitem",
    "articles.add_staffprofile",
    "articles.change_staffprofile",
    "articles.view_staffprofile",
    "articles.delete_previewlink",
    "auth.view_user",
    "auth.change_user",
    "auth.add_user",
    "auth.view_group",
    "auth.change_group",
]
ROLES = {"Reporter": REPORTER, "Editor": EDITOR, "Chief editor": CHIEF}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in perms:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            group.permissions.add(permission)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("media", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
