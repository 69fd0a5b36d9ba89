"""Fill the derived search fields of existing versions and index published ones.

The GIN index is partial (published rows only: nothing else is ever searched) and exists on
PostgreSQL only; SQLite searches without it.
"""

from django.db import migrations

from therapies.markdown import html_to_text

TABLES = ["therapyarticleversion", "combinationentryversion", "trialnoteversion"]


def forwards(apps, schema_editor):
    for name in TABLES:
        model = apps.get_model("therapies", name)
        for version in model.objects.all().only("pk", "body_html"):
            model.objects.filter(pk=version.pk).update(body_text=html_to_text(version.body_html))
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TABLES:
        table = f"therapies_{name}"
        schema_editor.execute(
            f"UPDATE {table} SET search_vector = "
            "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('english', coalesce(summary, '')), 'B') || "
            "setweight(to_tsvector('english', coalesce(body_text, '')), 'C')"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_idx ON {table} "
            "USING gin (search_vector) WHERE state = 'published'"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in TABLES:
            schema_editor.execute(f"DROP INDEX IF EXISTS therapies_{name}_search_idx")


class Migration(migrations.Migration):
    dependencies = [("therapies", "0005_search_fields")]

    operations = [migrations.RunPython(forwards, backwards)]
