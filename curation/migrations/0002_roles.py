"""Create the Editor, Reviewer and Admin groups with their permissions (see curation/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The roles as they were when this migration was written (curation/roles.py may change later;
# a later migration changes the groups then). Copied, not imported, so this migration never changes.
ADMIN_APPS = ("practices", "kb", "taxonomy", "curation", "auth", "axes")
EDITOR_PERMISSIONS = [
    ("practices", "add_practice"),
    ("practices", "change_practice"),
    ("practices", "view_practice"),
    ("practices", "add_finding"),
    ("practices", "change_finding"),
    ("practices", "view_finding"),
    ("practices", "add_practicequote"),
    ("practices", "change_practicequote"),
    ("practices", "delete_practicequote"),
    ("practices", "view_practicequote"),
    ("kb", "view_conference"),
    ("kb", "view_sourcedocument"),
    ("kb", "view_section"),
    ("kb", "view_session"),
    ("kb", "view_organisation"),
    ("kb", "view_person"),
    ("kb", "view_project"),
    ("taxonomy", "view_pillar"),
    ("taxonomy", "view_region"),
    ("taxonomy", "view_country"),
    ("taxonomy", "view_theme"),
    ("taxonomy", "view_targetgroup"),
    ("taxonomy", "view_inspirestrategy"),
    ("taxonomy", "view_conventionarticle"),
    ("curation", "view_historicalpractice"),
    ("curation", "view_historicalfinding"),
    ("curation", "view_historicalpracticequote"),
    ("curation", "view_historicalpillar"),
    ("curation", "view_historicalregion"),
    ("curation", "view_historicalcountry"),
    ("curation", "view_historicaltheme"),
    ("curation", "view_historicaltargetgroup"),
    ("curation", "view_historicalinspirestrategy"),
    ("curation", "view_historicalconventionarticle"),
    ("curation", "view_historicalconference"),
    ("curation", "view_historicalsourcedocument"),
    ("curation", "view_historicalsection"),
    ("curation", "view_historicalsession"),
    ("curation", "view_historicalorganisation"),
    ("curation", "view_historicalperson"),
    ("curation", "view_historicalproject"),
    ("curation", "view_correctionreport"),
]
ROLE_PERMISSIONS = {
    "Editor": EDITOR_PERMISSIONS,
    "Reviewer": [
        *EDITOR_PERMISSIONS,
        ("practices", "publish_practice"),
        ("practices", "archive_practice"),
        ("practices", "publish_finding"),
        ("practices", "archive_finding"),
        ("curation", "change_correctionreport"),
        ("curation", "view_suggestion"),
        ("curation", "change_suggestion"),
    ],
    "Admin": None,  # every permission of ADMIN_APPS
}


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
