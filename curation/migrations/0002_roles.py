"""Create the Editor, Reviewer and Admin groups with their permissions (see curation/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from curation.roles import ADMIN_APPS, ROLE_PERMISSIONS


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, pairs in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        if pairs is None:
            permissions = Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
        else:
            permissions = [
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in pairs
            ]
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("curation", "0001_initial"),
        ("practices", "0002_workflow"),
        ("kb", "0001_initial"),
        ("taxonomy", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "__latest__"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
