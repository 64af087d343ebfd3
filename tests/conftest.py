import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the shipped content loaded once; tests roll back their own
    changes."""
    with django_db_blocker.unblock():
        call_command("load_kb", verbosity=0)


@pytest.fixture
def kb_content(django_db_blocker):
    """For transactional tests (live server, browser): the content again after a flush."""
    with django_db_blocker.unblock():
        call_command("load_kb", verbosity=0)
