"""The database driver and connection settings (issue 12, item 5)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection


def test_postgresql_uses_psycopg_3_with_persistent_checked_connections():
    database = settings.DATABASES["default"]
    assert database["CONN_HEALTH_CHECKS"] is True
    if connection.vendor == "postgresql":
        assert connection.Database.__name__ == "psycopg"
        assert database["CONN_MAX_AGE"] == int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    else:
        assert database["CONN_MAX_AGE"] == 0


def test_psycopg2_is_not_a_dependency():
    pyproject = (Path(settings.BASE_DIR) / "pyproject.toml").read_text()
    lock = (Path(settings.BASE_DIR) / "requirements.lock").read_text()
    assert "psycopg2" not in pyproject and "psycopg2" not in lock
    assert '"psycopg[binary]' in pyproject and "psycopg==" in lock


def test_an_empty_database_url_means_the_embedded_default():
    environment = os.environ | {"DATABASE_URL": " ", "DJANGO_SETTINGS_MODULE": "config.settings"}
    engine = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert engine == "django.db.backends.sqlite3"


def test_sqlite_maps_its_file_into_memory(tmp_path):
    """Each request opens SQLite afresh; memory-mapped, its pages come from the system's cache."""
    if connection.vendor != "sqlite":
        return
    command = settings.DATABASES["default"]["OPTIONS"]["init_command"]
    with sqlite3.connect(tmp_path / "kb.sqlite3") as database:
        database.execute(command)
        assert database.execute("PRAGMA mmap_size").fetchone()[0] > 0
