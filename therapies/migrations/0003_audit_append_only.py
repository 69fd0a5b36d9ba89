"""Make the audit trail append-only in the database itself, not only in Python.

PostgreSQL refuses UPDATE and DELETE of audit rows; SQLite refuses UPDATE (a DELETE trigger
would also block the test runner's table flush, so there the model layer guards deletes).
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION therapies_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit events are append-only (' || TG_OP || ' refused)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER therapies_auditevent_append_only
    BEFORE UPDATE OR DELETE ON therapies_auditevent
    FOR EACH ROW EXECUTE FUNCTION therapies_auditevent_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS therapies_auditevent_append_only ON therapies_auditevent;
DROP FUNCTION IF EXISTS therapies_auditevent_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER therapies_auditevent_no_update BEFORE UPDATE ON therapies_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS therapies_auditevent_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = {"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}.get(vendor)
    if sql:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = {"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}.get(vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("therapies", "0002_editorial_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
