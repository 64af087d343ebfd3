"""Workflow transitions: draft -> in review -> published -> archived, who and when, and what the
workflow refuses (wrong starting state, no comment, deleting what was public)."""

import pytest
from django.test import Client
from django.urls import reverse

from practices import services
from practices.models import Finding, Practice, PublishedEntryDeletionError, Status
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def test_a_draft_goes_through_the_whole_workflow(editor, reviewer, entry_factory):
    entry = entry_factory(status=Status.DRAFT)

    services.entry_submit_for_review(entry, editor)
    entry.refresh_from_db()
    assert entry.status == Status.IN_REVIEW and entry.submitted_at is not None

    services.entry_publish(entry, reviewer)
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED
    assert entry.published_by == reviewer and entry.published_at is not None

    services.entry_archive(entry, reviewer)
    entry.refresh_from_db()
    assert entry.status == Status.ARCHIVED and entry.archived_at is not None

    steps = list(entry.history.order_by("history_id").values_list("status", "history_user__username"))
    assert steps[-3:] == [
        (Status.IN_REVIEW, "editor-user"),
        (Status.PUBLISHED, "reviewer-user"),
        (Status.ARCHIVED, "reviewer-user"),
    ]
    reasons = list(entry.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-3:] == ["Submitted for review", "Published", "Archived"]


def test_return_to_draft_needs_a_comment_and_keeps_it(reviewer):
    practice = PracticeFactory(status=Status.IN_REVIEW)
    with pytest.raises(services.TransitionError):
        services.entry_return_to_draft(practice, reviewer, "   ")
    assert Practice.objects.get(pk=practice.pk).status == Status.IN_REVIEW

    services.entry_return_to_draft(practice, reviewer, "The quote is from section D, not C.")
    practice.refresh_from_db()
    assert practice.status == Status.DRAFT
    assert practice.review_comment == "The quote is from section D, not C."
    assert practice.history.first().history_change_reason.startswith("Returned to draft: The quote")


def test_the_editor_sees_the_reviewers_comment_on_the_change_form(editor, reviewer):
    practice = PracticeFactory(status=Status.IN_REVIEW)
    services.entry_return_to_draft(practice, reviewer, "Add the implementing organisation.")
    client = Client()
    client.force_login(editor)
    response = client.get(reverse("admin:practices_practice_change", args=[practice.pk]))
    assert "Returned to draft by a reviewer: Add the implementing organisation." in response.content.decode()


@pytest.mark.parametrize(
    ("step", "status"),
    [
        (services.entry_submit_for_review, Status.IN_REVIEW),
        (services.entry_submit_for_review, Status.PUBLISHED),
        (services.entry_publish, Status.PUBLISHED),
        (services.entry_publish, Status.ARCHIVED),
        (services.entry_archive, Status.DRAFT),
        (services.entry_archive, Status.IN_REVIEW),
    ],
)
def test_transitions_from_the_wrong_state_are_refused(admin_user_role, step, status):
    practice = PracticeFactory(status=status)
    with pytest.raises(services.TransitionError):
        step(practice, admin_user_role)
    assert Practice.objects.get(pk=practice.pk).status == status


def test_archiving_with_a_successor_of_the_same_kind(reviewer):
    old, new = PracticeFactory(), PracticeFactory()
    services.entry_archive(old, reviewer, successor=new)
    old.refresh_from_db()
    assert old.successor == new

    finding = FindingFactory()
    with pytest.raises(services.TransitionError):
        services.entry_archive(finding, reviewer, successor=new)
    with pytest.raises(services.TransitionError):
        services.entry_archive(new, reviewer, successor=new)


def test_the_workflow_page_archives_with_a_successor_slug(reviewer):
    old, new = PracticeFactory(), PracticeFactory()
    client = Client()
    client.force_login(reviewer)
    url = reverse("admin:practices_practice_workflow", args=[old.pk])
    page = client.get(url).content.decode()
    assert 'name="step" value="archive"' in page and 'name="step" value="publish"' not in page
    client.post(url, {"step": "archive", "successor": "no-such-slug"})
    assert Practice.objects.get(pk=old.pk).status == Status.PUBLISHED
    client.post(url, {"step": "archive", "successor": new.slug})
    old.refresh_from_db()
    assert old.status == Status.ARCHIVED and old.successor == new


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.ARCHIVED])
def test_entries_that_were_public_cannot_be_deleted_through_the_orm(status, entry_factory):
    entry = entry_factory(status=status)
    model = type(entry)
    with pytest.raises(PublishedEntryDeletionError):
        entry.delete()
    with pytest.raises(PublishedEntryDeletionError):
        model.objects.filter(pk=entry.pk).delete()
    assert model.objects.filter(pk=entry.pk).exists()


def test_drafts_can_be_deleted():
    draft = FindingFactory(status=Status.DRAFT)
    draft.delete()
    assert not Finding.objects.filter(pk=draft.pk).exists()


def test_admins_cannot_delete_published_entries_in_the_admin(admin_user_role):
    published, draft = PracticeFactory(status=Status.PUBLISHED), PracticeFactory(status=Status.DRAFT)
    client = Client()
    client.force_login(admin_user_role)
    response = client.post(reverse("admin:practices_practice_delete", args=[published.pk]), {"post": "yes"})
    assert response.status_code == 403
    changelist = reverse("admin:practices_practice_changelist")
    refused = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [published.pk, draft.pk], "post": "yes"}
    )
    assert refused.status_code == 403  # the whole bulk delete is refused
    assert Practice.objects.filter(pk__in=[published.pk, draft.pk]).count() == 2
    client.post(changelist, {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"})
    assert Practice.objects.filter(pk=published.pk).exists()
    assert not Practice.objects.filter(pk=draft.pk).exists()


def test_add_theme_bulk_action_asks_for_the_theme_then_adds_it(reviewer):
    from taxonomy.models import Theme

    practices = [PracticeFactory(), PracticeFactory()]
    theme = Theme.objects.get(slug="migration")
    client = Client()
    client.force_login(reviewer)
    changelist = reverse("admin:practices_practice_changelist")
    selected = {"action": "add_theme", "_selected_action": [p.pk for p in practices]}
    page = client.post(changelist, selected)
    assert page.status_code == 200 and '<label for="theme">Theme</label>' in page.content.decode()
    client.post(changelist, {**selected, "apply": "1", "theme": theme.pk})
    for practice in practices:
        assert practice.themes.filter(pk=theme.pk).exists()
        assert practice.history.first().history_change_reason == f"Added theme {theme}"
