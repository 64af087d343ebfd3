"""Entries that have been public are never deleted, by anyone, by any path: returning one to draft
first does not make it deletable (the attack: an Admin returns a published finding to draft, then
deletes it). Archive it instead."""

import importlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from practices import services
from practices.kinds import ENTRY_KINDS
from practices.models import PublishedEntryDeletionError, Status
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db

FACTORIES = {"finding": FindingFactory, "practice": PracticeFactory}


def returned_to_draft(kind, user):
    """An entry that was published, then returned to draft: a draft now, once public all the same."""
    entry = FACTORIES[kind.singular](status=Status.IN_REVIEW)
    services.entry_publish(entry, user)
    services.entry_return_to_draft(entry, user, "Needs another look.")
    entry.refresh_from_db()
    assert entry.status == Status.DRAFT and entry.first_published_at is not None
    return entry


@pytest.mark.parametrize("kind", ENTRY_KINDS, ids=str)
def test_a_superuser_cannot_delete_a_returned_entry_in_the_admin(kind, admin_user):
    entry = returned_to_draft(kind, admin_user)
    draft = FACTORIES[kind.singular](status=Status.DRAFT)
    client = Client()
    client.force_login(admin_user)
    name = f"admin:practices_{kind.singular}"
    assert client.post(reverse(f"{name}_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    changelist = reverse(f"{name}_changelist")
    bulk = {"action": "delete_selected", "_selected_action": [entry.pk, draft.pk], "post": "yes"}
    assert client.post(changelist, bulk).status_code == 403
    assert kind.model.objects.filter(pk__in=[entry.pk, draft.pk]).count() == 2
    client.post(changelist, {**bulk, "_selected_action": [draft.pk]})
    assert not kind.model.objects.filter(pk=draft.pk).exists()
    assert kind.model.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("kind", ENTRY_KINDS, ids=str)
def test_no_orm_path_deletes_a_returned_entry(kind, admin_user):
    entry = returned_to_draft(kind, admin_user)
    with pytest.raises(PublishedEntryDeletionError):
        entry.delete()
    with pytest.raises(PublishedEntryDeletionError):
        kind.model.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PublishedEntryDeletionError):
        kind.model.objects.all().delete()
    with pytest.raises(PublishedEntryDeletionError):
        services.entry_delete(entry, admin_user)
    assert kind.model.objects.filter(pk=entry.pk).exists()


def test_the_admins_delete_queryset_keeps_once_public_entries(admin_user):
    """A bulk delete that got past the confirmation still deletes only never-public drafts."""
    entry = returned_to_draft(ENTRY_KINDS[0], admin_user)
    draft = FindingFactory(status=Status.DRAFT)
    model_admin = admin.site._registry[type(entry)]
    request = type("Request", (), {"user": admin_user, "_messages": None})()
    model_admin.message_user = lambda *args, **kwargs: None
    model_admin.delete_queryset(request, type(entry).objects.filter(pk__in=[entry.pk, draft.pk]))
    assert list(type(entry).objects.filter(pk__in=[entry.pk, draft.pk])) == [entry]


def test_editors_cannot_delete_at_all(editor):
    draft = PracticeFactory(status=Status.DRAFT)
    with pytest.raises(PermissionDenied):
        services.entry_delete(draft, editor)


def test_the_data_migration_marks_entries_public_in_their_history(admin_user):
    """Entries published before ``first_published_at`` existed: found by status, publication time or
    a published version in their history."""
    migration = importlib.import_module("curation.migrations.0005_trust_a_first_published")
    returned = returned_to_draft(ENTRY_KINDS[1], admin_user)
    published = PracticeFactory(status=Status.PUBLISHED)
    draft = PracticeFactory(status=Status.DRAFT)
    model = type(returned)
    model.objects.update(first_published_at=None)
    model.objects.filter(pk=returned.pk).update(published_at=None)  # only its history says so
    migration.fill_first_published_at(apps, None)
    marked = set(model.objects.filter(first_published_at__isnull=False).values_list("pk", flat=True))
    assert {returned.pk, published.pk} <= marked and draft.pk not in marked
