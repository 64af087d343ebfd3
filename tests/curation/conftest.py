import pytest
from django.contrib.auth.models import AnonymousUser, Group

from curation.roles import ADMIN, EDITOR, REVIEWER
from tests.factories import FindingFactory, PracticeFactory, UserFactory

ROLES = ["anonymous", "editor", "reviewer", "admin"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(role):
    if role == "anonymous":
        return AnonymousUser()
    group = {"editor": EDITOR, "reviewer": REVIEWER, "admin": ADMIN}[role]
    user = UserFactory(username=f"{role}-user", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return make_user("editor")


@pytest.fixture
def reviewer(db):
    return make_user("reviewer")


@pytest.fixture
def admin_user_role(db):
    return make_user("admin")


@pytest.fixture(params=["practice", "finding"])
def entry_factory(request):
    return {"practice": PracticeFactory, "finding": FindingFactory}[request.param]
