"""Cancer types are shared by published pages: renaming one changes live pages without
review, so only Moderators may change them (Editors can still add new ones)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="therapies", codename="change_cancertype"
            )
        )


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="therapies", codename="change_cancertype"
            )
        )


class Migration(migrations.Migration):
    dependencies = [("therapies", "0007_nct_format_strict")]

    operations = [migrations.RunPython(forwards, backwards)]
