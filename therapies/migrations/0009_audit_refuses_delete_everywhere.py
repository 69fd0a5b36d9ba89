"""The audit trail also refuses DELETE on SQLite and TRUNCATE on PostgreSQL.

Both triggers let a maintenance flag through (settings.AUDIT_MAINTENANCE, set only by
portal/test_settings.py, so that tests can flush tables); nothing in the portal sets it.
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION therapies_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'UPDATE'
       AND coalesce(current_setting('therapies.audit_maintenance', true), '') = 'on' THEN
        IF TG_LEVEL = 'ROW' THEN RETURN OLD; END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'audit events are append-only (' || TG_OP || ' refused)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER therapies_auditevent_no_truncate
    BEFORE TRUNCATE ON therapies_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION therapies_auditevent_append_only();
"""
POSTGRES_DOWN = "DROP TRIGGER IF EXISTS therapies_auditevent_no_truncate ON therapies_auditevent;"
SQLITE_UP = """
CREATE TRIGGER therapies_auditevent_no_delete BEFORE DELETE ON therapies_auditevent
WHEN therapies_audit_maintenance() = 0
BEGIN SELECT RAISE(ABORT, 'audit events are append-only (DELETE refused)'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS therapies_auditevent_no_delete;"


def forwards(apps, schema_editor):
    sql = {"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    sql = {"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("therapies", "0008_editors_cannot_rename_shared_labels")]

    operations = [migrations.RunPython(forwards, backwards)]
