from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created


def _maintenance() -> bool:
    # The audit trail refuses UPDATE, DELETE and TRUNCATE in the database itself; only the
    # test settings (portal/test_settings.py) let it through, so that the test runner's table
    # flushes can empty the table.
    return bool(getattr(settings, "AUDIT_MAINTENANCE", False))


def _prepare_connection(sender, connection, **kwargs):
    """Give each database connection what the audit-trail triggers consult."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "therapies_audit_maintenance", 0, lambda: int(_maintenance())
        )
    elif connection.vendor == "postgresql" and _maintenance():
        with connection.cursor() as cursor:
            cursor.execute("SET therapies.audit_maintenance = 'on'")


def check_database_role(app_configs=None, databases=None, **kwargs):
    """`check --deploy --database default`: the portal should not connect to PostgreSQL as a
    superuser or as the owner of its tables — either could switch off the audit trail's
    append-only triggers (README, Security)."""
    from django.core import checks
    from django.db import connections

    problems = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolsuper OR pg_has_role(current_user, c.relowner, 'MEMBER') "
                "FROM pg_roles r, pg_class c WHERE r.rolname = current_user "
                "AND c.oid = to_regclass('therapies_auditevent')"  # none before migrate
            )
            row = cursor.fetchone()
        if row and row[0]:
            problems.append(checks.Warning(
                "The portal connects to PostgreSQL as a superuser or as the owner of its "
                "tables, which can switch off the audit trail's append-only triggers.",
                hint="Run migrate as the owner, then `manage.py grant_app_role ROLE`, and "
                "connect the portal as ROLE (README, Security).",
                id="therapies.W002", obj=alias,
            ))  # fmt: skip
    return problems


class TherapiesConfig(AppConfig):
    name = "therapies"
    verbose_name = "Content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        connection_created.connect(_prepare_connection, dispatch_uid="therapies_audit")
        from django.core import checks

        from therapies.pagecache import check_shared_cache

        checks.register(check_shared_cache, checks.Tags.caches, deploy=True)
        checks.register(check_database_role, checks.Tags.database, deploy=True)
