"""Create the Editors and Moderators groups with the permissions their roles need.

Demo users are never created here: only `manage.py loaddemo` makes them.
"""

from django.db import migrations

KINDS = ["therapyarticle", "combinationentry", "trialnote"]


def editor_permissions():
    perms = []
    for kind in KINDS:
        version = f"{kind}version"
        perms += [f"view_{kind}", f"add_{kind}", f"change_{kind}"]
        perms += [f"view_{version}", f"add_{version}", f"change_{version}"]
        perms += [f"submit_{version}", f"discard_{version}"]
    perms += ["view_cancertype", "add_cancertype", "change_cancertype"]
    perms += ["view_citation", "add_citation", "change_citation", "view_auditevent"]
    return perms


def moderator_permissions():
    perms = editor_permissions()
    for kind in KINDS:
        version = f"{kind}version"
        perms += [f"approve_{version}", f"request_changes_{version}"]
        perms += [f"schedule_{version}", f"unpublish_{version}"]
    return perms


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations run; create them now so the
    # groups can be granted them in this migration.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [
        ("Editors", editor_permissions()),
        ("Moderators", moderator_permissions()),
    ]:
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(
            content_type__app_label="therapies", codename__in=codenames
        )
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions not found: {sorted(missing)}")
        group.permissions.add(*perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Moderators"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("therapies", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
