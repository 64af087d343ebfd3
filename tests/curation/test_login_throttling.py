"""django-axes locks an account out of the admin login after repeated failures."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def attempt(client, password):
    return client.post(LOGIN, {"username": "curator", "password": password})


def test_lockout_after_the_failure_limit():
    UserFactory(username="curator", is_staff=True, is_superuser=True, password="the-right-password-123")
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200  # the login form again, with an error
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # Even the right password is refused while locked out.
    assert attempt(client, "the-right-password-123").status_code == 429


def test_a_success_before_the_limit_resets_the_count():
    UserFactory(username="curator", is_staff=True, is_superuser=True, password="the-right-password-123")
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, "the-right-password-123").status_code == 302
    client.logout()
    assert attempt(client, "wrong").status_code == 200


def test_client_login_without_a_request_still_works():
    UserFactory(username="curator", password="the-right-password-123")
    assert Client().login(username="curator", password="the-right-password-123")
