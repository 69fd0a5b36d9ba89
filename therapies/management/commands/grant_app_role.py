"""`manage.py grant_app_role ROLE`: give the application's own PostgreSQL role what it needs
to run the portal — reading and writing rows — and nothing more.

Run it as the role that owns the tables (the one `migrate` runs as), after each `migrate`.
The application's role then cannot switch off or drop the audit trail's triggers (only an
owner can), and the triggers' maintenance flag does not count for it: it can append audit
events, never change or remove them.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql


class Command(BaseCommand):
    help = "Grant a PostgreSQL role data privileges only (run as the tables' owner)."

    def add_arguments(self, parser):
        parser.add_argument("role", help="The role the portal connects as (DATABASE_URL).")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Roles are PostgreSQL's: on SQLite, whoever can open the file "
                               "can change it.")  # fmt: skip
        name = sql.Identifier(role)
        statements = [
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                    "TO {}").format(name),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
            sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, "
                    "DELETE ON TABLES TO {}").format(name),
            sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON "
                    "SEQUENCES TO {}").format(name),
        ]  # fmt: skip
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"{role} may now read and write rows; it owns nothing, so it cannot "
                          "alter the schema or the audit trail's triggers.")  # fmt: skip
