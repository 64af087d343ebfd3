"""Project-level guarantees: migrations are complete, production settings pass Django's
deployment checklist, security headers are sent."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from config.checks import shared_cache

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def check_deploy(**environment):
    """``manage.py check --deploy`` in production mode, in a process of its own."""
    env = {
        **{name: value for name, value in os.environ.items() if name != "REDIS_URL"},
        "DJANGO_ENV": "production",
        "SECRET_KEY": "a-long-random-secret-key-for-this-test-only-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "kb.example.org",
        **environment,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_in_production_mode():
    # The check reads the settings only: no Redis server needs to answer at this address.
    result = check_deploy(REDIS_URL="redis://redis.internal:6379/0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_rejects_a_cache_private_to_each_process():
    """Without Redis, a publish in one worker (or an import from the command line) would not
    bump the content version the other workers read."""
    result = check_deploy()
    assert result.returncode != 0
    assert "kb.W001" in result.stderr and "REDIS_URL" in result.stderr


def test_shared_cache_check_accepts_redis_and_rejects_local_memory(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    assert shared_cache(None) == []
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [message.id for message in shared_cache(None)] == ["kb.W001"]


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_ENV": "production", "SECRET_KEY": "", "ALLOWED_HOSTS": "kb.example.org"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_no_inline_scripts_or_styles(client):
    for url in ("/", "/practices/", "/sources/rome-2012-report/"):
        html = client.get(url).content.decode()
        assert "<script>" not in html and " style=" not in html and "<style" not in html, url
