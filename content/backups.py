"""Whole-database backup and restore: every table (entries with their workflow fields, change
history, users, groups, permissions, correction reports, suggestions, lockouts), not only content.

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore``. SQLite: the online backup API
(``sqlite3.Connection.backup``), safe while the site is running. ``fingerprints`` gives each
table's row count and a content hash, so a restore can be checked against its source.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection as default_connection

SUFFIX = {"postgresql": ".dump", "sqlite": ".sqlite3"}


class BackupError(Exception):
    pass


def _pg_args(settings_dict: dict) -> tuple[list[str], dict]:
    args, env = [], dict(os.environ)
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()[:2000]}")


def backup_database(destination: Path, connection=default_connection) -> Path:
    """Write the whole database to ``destination`` (suffix added if missing); returns the path."""
    vendor = connection.vendor
    if vendor not in SUFFIX:
        raise BackupError(f"backing up a {vendor} database is not supported")
    destination = Path(destination)
    if destination.suffix != SUFFIX[vendor]:
        destination = destination.with_name(destination.name + SUFFIX[vendor])
    destination.parent.mkdir(parents=True, exist_ok=True)
    if vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        name = connection.settings_dict["NAME"]
        _run(
            ["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges", "--file", str(destination), name],
            env,
        )
    else:
        connection.ensure_connection()
        target = sqlite3.connect(destination)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    return destination


def create_postgres_database(name: str, connection=default_connection) -> None:
    """Create an empty PostgreSQL database ``name`` (next to the configured one) for a restore."""
    args, env = _pg_args(connection.settings_dict)
    _run(["createdb", *args, name], env)


def restore_database(source: Path, connection=default_connection, database: str | None = None) -> None:
    """Bring back a backup: into ``database`` (PostgreSQL: a database name; SQLite: a file path),
    by default over the configured database itself (its tables are replaced)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    if connection.vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        name = database or connection.settings_dict["NAME"]
        if database is None:
            connection.close()  # our own idle session must not hold locks on the tables replaced
        command = ["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--no-privileges"]
        _run([*command, "--single-transaction", "--exit-on-error", "--dbname", name, str(source)], env)
        return
    backup = sqlite3.connect(source)
    try:
        if database is None:
            connection.ensure_connection()
            backup.backup(connection.connection)
        else:
            target = sqlite3.connect(database)
            try:
                backup.backup(target)
            finally:
                target.close()
    finally:
        backup.close()


def open_database(vendor: str, settings_dict: dict, database: str):
    """A plain DB-API connection to another database of the same server (or SQLite file)."""
    if vendor == "postgresql":
        import psycopg

        params = {"dbname": database, "host": settings_dict.get("HOST") or None}
        params |= {"port": settings_dict.get("PORT") or None, "user": settings_dict.get("USER") or None}
        params |= {"password": settings_dict.get("PASSWORD") or None}
        return psycopg.connect(**{k: v for k, v in params.items() if v is not None})
    return sqlite3.connect(database, uri=str(database).startswith("file:"))


def _tables(raw, vendor: str) -> list[str]:
    cursor = raw.cursor()
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(row[0] for row in cursor.fetchall())


def _row_text(row) -> str:
    return repr(tuple(bytes(value) if isinstance(value, memoryview) else value for value in row))


def fingerprints(raw, vendor: str) -> dict[str, tuple[int, str]]:
    """``{table: (row count, sha256 of its rows)}`` over a plain DB-API connection (``open_database``:
    values as the driver gives them, without Django's converters); rows are hashed in a sorted
    order, so two databases with the same rows give the same hash whatever their order."""
    result = {}
    cursor = raw.cursor()
    for table in _tables(raw, vendor):
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names come from the catalogue
        rows = sorted(_row_text(row) for row in cursor.fetchall())
        digest = hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass")).hexdigest()
        result[table] = (len(rows), digest)
    return result
