"""The review queue: entries in review, longest-waiting first, with what changed since the last
published version, in a number of queries that does not grow with the queue."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from curation.diff import changes_since_published
from practices import services
from practices.models import Practice, Status
from taxonomy.models import Theme
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def edited_after_publication(reviewer, title, **changes):
    practice = PracticeFactory(status=Status.IN_REVIEW, title=title)
    services.entry_publish(practice, reviewer)
    for name, value in changes.items():
        setattr(practice, name, value)
    practice.status = Status.IN_REVIEW
    practice.save()
    return practice


def test_the_diff_lists_changed_fields_since_the_published_version(reviewer):
    practice = edited_after_publication(reviewer, "Helplines", summary="A new summary.")
    practice.themes.add(Theme.objects.get(slug="reporting"))
    [item] = changes_since_published([practice])
    assert not item.never_published
    changes = {change.field: change for change in item.changes}
    assert set(changes) == {"summary", "themes"}
    assert changes["summary"].old == "A summary in the curator's words." and changes["summary"].new == "A new summary."
    assert (
        changes["themes"].is_set
        and changes["themes"].new == "Reporting and disclosure"
        and changes["themes"].old == "—"
    )


def test_a_never_published_entry_is_reported_as_new(editor):
    practice = PracticeFactory(status=Status.DRAFT, title="Brand new")
    services.entry_submit_for_review(practice, editor)
    [item] = changes_since_published([practice])
    assert item.never_published
    assert any(change.field == "title" and change.new == "Brand new" for change in item.changes)


def test_the_queue_lists_entries_in_review_oldest_first(reviewer, django_assert_max_num_queries):
    now = timezone.now()
    newest = PracticeFactory(status=Status.IN_REVIEW, title="Newest", submitted_at=now)
    oldest = FindingFactory(status=Status.IN_REVIEW, title="Oldest", submitted_at=now - datetime.timedelta(days=9))
    middle = edited_after_publication(reviewer, "Middle", summary="Changed summary.")
    Practice.objects.filter(pk=middle.pk).update(submitted_at=now - datetime.timedelta(days=3))
    PracticeFactory(status=Status.DRAFT, title="Not submitted")

    client = Client()
    client.force_login(reviewer)
    response = client.get(reverse("review-queue"))
    assert response.status_code == 200
    titles = [item.entry.title for item in response.context["rows"]]
    assert titles == ["Oldest", "Middle", "Newest"]
    html = response.content.decode()
    assert html.index("Oldest") < html.index("Middle") < html.index("Newest")
    assert "Changed summary." in html and reverse("admin:practices_practice_change", args=[newest.pk]) in html
    assert reverse("admin:practices_finding_change", args=[oldest.pk]) in html

    with django_assert_max_num_queries(60) as few:
        client.get(reverse("review-queue"))
    for n in range(5):
        edited_after_publication(reviewer, f"More {n}", summary=f"Summary {n}")
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        response = client.get(reverse("review-queue"))
    assert len(response.context["rows"]) == 8


def test_the_admin_index_links_to_the_curation_queues(reviewer):
    client = Client()
    client.force_login(reviewer)
    html = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("review-queue")}"' in html
    assert "?verification=due" in html and "?state=open" in html


def test_entries_without_a_submission_date_come_last_on_every_database():
    undated = PracticeFactory(status=Status.IN_REVIEW, submitted_at=None)
    dated = PracticeFactory(status=Status.IN_REVIEW, submitted_at=timezone.now())
    queue = list(Practice.objects.in_review().filter(pk__in=[undated.pk, dated.pk]))
    assert queue == [dated, undated]
