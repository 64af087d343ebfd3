"""/healthz and /readyz (issue 12): cheap liveness, readiness naming the failing check."""

import pytest
from django.test import Client

from config import health


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")  # no django_db mark: any query would raise
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert (
        response["X-Content-Type-Options"] == "nosniff" and "default-src 'none'" in response["Content-Security-Policy"]
    )


@pytest.mark.django_db
def test_readyz_is_200_when_database_cache_and_migrations_are_ready(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_seen_applied", False)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failing": [],
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok"},
    }


@pytest.mark.django_db
def test_probes_answer_for_any_host_and_over_plain_http(client, settings):
    """Inside a container the probe asks http://kb-app:8000 (its service name), neither an allowed host nor HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        assert client.get(path, HTTP_HOST="kb-app:8000").status_code == 200
    assert client.get("/", HTTP_HOST="kb-app:8000").status_code == 400  # pages: not an allowed host
    settings.ALLOWED_HOSTS = ["kb-app"]
    assert Client().get("/", HTTP_HOST="kb-app:8000").status_code == 301  # pages: redirected to HTTPS


@pytest.mark.django_db
def test_readyz_names_a_failing_database_and_skips_migrations(client, monkeypatch):
    def database_down():
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", database_down)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["failing"] == ["database"]
    assert body["checks"]["database"] == "failed: ConnectionError"
    assert body["checks"]["migrations"].startswith("skipped")


@pytest.mark.django_db
def test_readyz_names_a_cache_that_loses_values(client, monkeypatch):
    monkeypatch.setattr(health.cache, "get", lambda key: None)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["failing"] == ["cache"]


@pytest.mark.django_db
def test_readyz_names_unapplied_migrations(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_seen_applied", False)
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", lambda self, targets: [("app", "0099")])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]
    assert response.json()["checks"]["migrations"] == "failed: RuntimeError"
