"""The README's "Deploying" table names every environment variable the settings and gunicorn read."""

import re

from django.conf import settings

READS = re.compile(
    r"""(?:os\.environ\.get|os\.environ\[|os\.getenv|env_bool|env_list|env_int)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def variables_read(path):
    return set(READS.findall(path.read_text(encoding="utf-8")))


def documented_variables():
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Deploying", 1)[1].split("\n## ", 1)[0]
    first_cells = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {name for cell in first_cells for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cell)}


def test_every_environment_variable_is_in_the_deploying_table():
    read = variables_read(settings.BASE_DIR / "config" / "settings.py")
    read |= variables_read(settings.BASE_DIR / "gunicorn.conf.py")
    read.add("DATABASE_URL")  # read by dj_database_url.config()
    assert {"SECRET_KEY", "DB_CONN_MAX_AGE", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"} <= read
    assert read - documented_variables() == set()
