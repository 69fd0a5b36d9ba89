"""Grant the trust-and-provenance permissions to the editorial groups."""

from django.db import migrations

KINDS = ["therapyarticleversion", "combinationentryversion", "trialnoteversion"]
EDITORS = ["view_reviewlink", "add_reviewlink", "change_reviewlink", "view_recheckflag",
           "view_externalreviewcomment"]  # fmt: skip
MODERATORS = [
    *EDITORS,
    "dismiss_recheckflag",
    "view_conflictofintereststatement",
    "add_conflictofintereststatement",
    "change_conflictofintereststatement",
    *[f"correct_{kind}" for kind in KINDS],
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [("Editors", EDITORS), ("Moderators", MODERATORS)]:
        group = Group.objects.get(name=name)
        perms = Permission.objects.filter(
            content_type__app_label="therapies", codename__in=codenames
        )
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions not found: {sorted(missing)}")
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [("Editors", EDITORS), ("Moderators", MODERATORS)]:
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="therapies", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("therapies", "0011_trust_and_provenance")]

    operations = [migrations.RunPython(grant, revoke)]
