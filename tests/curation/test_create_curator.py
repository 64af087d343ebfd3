"""``manage.py create_curator``: a staff user in one curation group, the password from the
environment or a prompt, validated."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from curation.management.commands import create_curator
from curation.roles import ADMIN, EDITOR, REVIEWER

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "group"), [("editor", EDITOR), ("reviewer", REVIEWER), ("admin", ADMIN)])
def test_each_role_from_the_environment(monkeypatch, role, group):
    monkeypatch.setenv("KB_CURATOR_PASSWORD", "a-long-curator-password")
    call_command("create_curator", "maria", "--role", role, "--email", "maria@example.org")
    user = User.objects.get(username="maria")
    assert user.is_staff and not user.is_superuser and user.email == "maria@example.org"
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert authenticate(username="maria", password="a-long-curator-password") == user


def test_the_password_is_asked_twice_at_a_prompt(monkeypatch):
    monkeypatch.delenv("KB_CURATOR_PASSWORD", raising=False)
    monkeypatch.setattr(create_curator.Command, "stdin_is_interactive", lambda self: True)
    answers = iter(["another-long-password", "another-long-password"])
    monkeypatch.setattr(create_curator.getpass, "getpass", lambda prompt: next(answers))
    call_command("create_curator", "lee", "--role", "editor")
    assert User.objects.get(username="lee").check_password("another-long-password")


@pytest.mark.parametrize(
    ("password", "message"), [("short", "too short"), ("password123", "too common")]
)  # fmt: skip
def test_weak_passwords_and_existing_names_are_refused(monkeypatch, password, message):
    monkeypatch.setenv("KB_CURATOR_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("create_curator", "weak", "--role", "editor")
    assert not User.objects.filter(username="weak").exists()
    User.objects.create_user("taken")
    monkeypatch.setenv("KB_CURATOR_PASSWORD", "a-long-curator-password")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_curator", "taken", "--role", "editor")


def test_no_password_and_no_terminal_is_an_error(monkeypatch):
    monkeypatch.delenv("KB_CURATOR_PASSWORD", raising=False)
    monkeypatch.setattr(create_curator.Command, "stdin_is_interactive", lambda self: False)
    with pytest.raises(CommandError, match="KB_CURATOR_PASSWORD"):
        call_command("create_curator", "nobody", "--role", "reviewer")


def test_tests_hash_passwords_fast(settings):
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.MD5PasswordHasher"


def test_production_keeps_the_slow_default_hasher():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "a-long-random-secret-key-for-this-test-only-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "kb.example.org",
    }
    code = "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
