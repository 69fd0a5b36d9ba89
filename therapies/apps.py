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


class TherapiesConfig(AppConfig):
    name = "therapies"
    verbose_name = "Content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        connection_created.connect(_prepare_connection, dispatch_uid="therapies_audit")
        from django.core import checks

        from therapies.pagecache import check_shared_cache

        checks.register(check_shared_cache, checks.Tags.caches, deploy=True)
