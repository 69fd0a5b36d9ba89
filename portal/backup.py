"""Backups of the portal's database: PostgreSQL's own pg_dump/pg_restore (custom format), or
SQLite's online backup API. Used by `manage.py backup` and `manage.py restore` (`make backup`,
`make restore`).

A restore goes into an empty database (or replaces everything with `replace=True`): the audit
trail's append-only triggers refuse deleting its rows, but a restore only inserts them, and
pg_restore creates the triggers after the data.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connections


def _engine(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise CommandError(f"Backups cover PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _pg_environment(alias: str) -> tuple[list[str], dict]:
    settings = connections[alias].settings_dict
    args = ["--dbname", settings["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            args += [flag, str(settings[key])]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]  # never on the command line (ps shows it)
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise CommandError(f"{name} is not installed: it comes with PostgreSQL's client "
                           "(apt-get install postgresql-client).")  # fmt: skip
    return found


def backup(path: Path, alias: str = "default") -> Path:
    """Write a consistent copy of the database to `path` while the portal runs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if _engine(alias) == "postgresql":
        args, env = _pg_environment(alias)
        subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                        "--file", str(path), *args], env=env, check=True)  # fmt: skip
        return path
    connection = connections[alias]
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    target.close()
    return path


def _has_tables(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        return bool(connections[alias].introspection.table_names(cursor))


def restore(path: Path, alias: str = "default", *, replace: bool = False) -> None:
    """Load the backup at `path` into the database: an empty one, or — `replace` — whatever
    it holds is dropped first."""
    if not path.exists():
        raise CommandError(f"No backup at {path}.")
    if _has_tables(alias) and not replace:
        raise CommandError("The database is not empty: restore into an empty database, or "
                           "pass --replace to drop what it holds.")  # fmt: skip
    if _engine(alias) == "postgresql":
        args, env = _pg_environment(alias)
        connections[alias].close()
        clean = ["--clean", "--if-exists"] if replace else []
        subprocess.run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                        "--single-transaction", *clean, *args, str(path)],
                       env=env, check=True)  # fmt: skip
        return
    connection = connections[alias]
    connection.ensure_connection()
    with sqlite3.connect(path) as source:
        source.backup(connection.connection)
    source.close()
