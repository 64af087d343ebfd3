"""The database driver and connection settings (issue 12, item 5)."""

import os
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
