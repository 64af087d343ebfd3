"""Private fields cannot be read through admin lookups: hiding a reader's address from the form is
not enough when ``?contact_email__startswith=r`` answers with a count (the letter-by-letter attack)."""

import string

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from curation.models import CorrectionReport, Suggestion
from curation.privacy import PRIVATE_FIELDS, lookup_touches_private_field
from practices.models import Practice
from tests.factories import PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "reader.private@example.org"


@pytest.fixture
def report():
    entry = PracticeFactory()
    return CorrectionReport.objects.create(
        content_type=ContentType.objects.get_for_model(entry),
        object_id=entry.pk,
        message="Wrong.",
        contact_email=ADDRESS,
    )


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_cannot_recover_a_readers_address_letter_by_letter(editor, report):
    client = logged_in(editor)
    changelist = reverse("admin:curation_correctionreport_changelist")
    assert client.get(changelist).status_code == 200
    answers = set()
    for letter in string.ascii_lowercase + "._@":
        for lookup in ("contact_email__startswith", "contact_email__istartswith", "contact_email__contains"):
            response = client.get(changelist, {lookup: letter})
            answers.add(response.status_code)
    for lookup, value in (("contact_email", ADDRESS), ("contact_email__isnull", "False"), ("contact_email__gt", "")):
        answers.add(client.get(changelist, {lookup: value}).status_code)
    assert answers == {400}  # every guess refused alike: nothing to tell right from wrong


def test_a_reviewer_who_sees_addresses_may_look_them_up(reviewer, report):
    client = logged_in(reviewer)
    changelist = reverse("admin:curation_correctionreport_changelist")
    hit = client.get(changelist, {"contact_email__startswith": "r"})
    miss = client.get(changelist, {"contact_email__startswith": "z"})
    assert hit.status_code == miss.status_code == 200
    assert hit.context["cl"].result_count == 1 and miss.context["cl"].result_count == 0


def test_users_addresses_and_password_hashes_are_not_looked_up_through_entries(editor, admin_user_role):
    publisher = UserFactory(username="publisher", email="publisher.secret@example.org")
    PracticeFactory(published_by=publisher)
    changelist = reverse("admin:practices_practice_changelist")
    client = logged_in(editor)
    for lookup in ("published_by__email__startswith", "published_by__password__startswith", "published_by__email"):
        assert client.get(changelist, {lookup: "p"}).status_code == 400
    users = reverse("admin:auth_user_changelist")
    assert logged_in(admin_user_role).get(users, {"password__startswith": "md5"}).status_code == 400
    assert logged_in(admin_user_role).get(users, {"email__startswith": "p"}).status_code == 200


def test_every_model_with_private_fields_has_its_admin_refuse_lookups(editor):
    """Each model listed as private has an admin whose lookup check consults the list."""
    for model, (fields, _) in PRIVATE_FIELDS.items():
        model_admin = admin.site._registry[model]
        request = type("Request", (), {"user": editor})()
        for name in fields:
            assert not model_admin.lookup_allowed(f"{name}__startswith", "r", request), (model, name)
    assert lookup_touches_private_field(editor, Practice, "published_by__email__startswith")
    assert not lookup_touches_private_field(editor, Practice, "title__startswith")
    assert Suggestion in PRIVATE_FIELDS and CorrectionReport in PRIVATE_FIELDS


def test_private_fields_are_not_searched_filtered_or_sorted_on():
    for model, (fields, _) in PRIVATE_FIELDS.items():
        model_admin = admin.site._registry[model]
        if model in (CorrectionReport, Suggestion):
            exposed = {*model_admin.search_fields, *map(str, model_admin.list_filter), *model_admin.list_display}
            assert not exposed & fields, (model, exposed & fields)
