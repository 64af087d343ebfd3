"""JSON logs with request ids (issue 12): X-Request-ID, one line per request, staff user ids."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings

from config.error_tracking import init_error_tracking
from config.logs import JSONFormatter, current_request_id
from tests.factories import UserFactory


def request_records(caplog):
    return [record for record in caplog.records if record.name == "kb.requests"]


@pytest.mark.django_db
def test_every_response_carries_a_fresh_request_id_and_is_logged_once(client, caplog):
    with caplog.at_level(logging.INFO, logger="kb.requests"):
        first = client.get("/practices/")
        second = client.get("/practices/")
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert len(first["X-Request-ID"]) == 32
    records = request_records(caplog)
    assert [(r.method, r.path, r.status) for r in records] == [("GET", "/practices/", 200)] * 2
    assert all(r.duration_ms > 0 and r.user_id is None for r in records)


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_but_a_malformed_one_is_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123-def-456")["X-Request-ID"] == "abc-123-def-456"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x" injected')["X-Request-ID"]
    assert forged != 'x" injected' and len(forged) == 32


@pytest.mark.django_db
def test_staff_actions_are_logged_with_the_user_id(client, caplog):
    staff = UserFactory(username="log-staff", is_staff=True)
    client.force_login(staff)
    with caplog.at_level(logging.INFO, logger="kb.requests"):
        client.get("/admin/")
    assert request_records(caplog)[-1].user_id == staff.pk


def test_json_formatter_writes_timestamp_level_request_id_extras_and_exception():
    record = logging.LogRecord("kb.requests", logging.ERROR, __file__, 1, "GET %s", ("/x/",), None)
    record.duration_ms = 12.5
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    token = current_request_id.set("req-0001")
    try:
        line = JSONFormatter().format(record)
    finally:
        current_request_id.reset(token)
    entry = json.loads(line)
    assert entry["timestamp"].endswith("+00:00") and entry["level"] == "ERROR"
    assert entry["message"] == "GET /x/" and entry["request_id"] == "req-0001" and entry["duration_ms"] == 12.5
    assert "ValueError: boom" in entry["exception"]


def test_error_tracking_is_off_without_a_dsn_or_without_sentry_sdk(monkeypatch):
    assert init_error_tracking("", "production") is False
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    assert init_error_tracking("https://key@sentry.example/1", "production") is False
    assert settings.SENTRY_ENABLED is False


def test_production_logs_json_and_reads_admins_and_mail_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "a-long-random-secret-key-for-this-test-only-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "kb.example.org",
        "ADMINS": "Ana Admin <ana@example.org>, ops@example.org",
        "EMAIL_HOST": "smtp.example.org",
    }
    code = (
        "from django.conf import settings as s; import json; "
        "print(json.dumps([s.ADMINS, s.EMAIL_HOST, s.EMAIL_BACKEND, s.LOGGING['handlers']['console']['formatter']]))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    admins, host, backend, formatter = json.loads(result.stdout.strip().splitlines()[-1])
    assert admins == [["Ana Admin", "ana@example.org"], ["ops@example.org", "ops@example.org"]]
    assert host == "smtp.example.org" and backend.endswith("smtp.EmailBackend") and formatter == "json"
