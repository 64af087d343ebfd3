"""Entries not verified for 24 months are listed for reviewers, who mark them verified today."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from curation.admin_entries import verification_cutoff
from practices.models import Practice, Status
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("today", "cutoff"),
    [
        (datetime.date(2026, 11, 29), datetime.date(2024, 11, 29)),
        (datetime.date(2026, 1, 15), datetime.date(2024, 1, 15)),
        (datetime.date(2026, 2, 28), datetime.date(2024, 2, 28)),
        (datetime.date(2026, 3, 31), datetime.date(2024, 3, 31)),
        (datetime.date(2030, 2, 28), datetime.date(2028, 2, 28)),
    ],
)
def test_the_cutoff_is_24_months_back(today, cutoff):
    assert verification_cutoff(today) == cutoff


def test_the_queue_lists_overdue_and_never_verified_entries(reviewer):
    today = timezone.localdate()
    stale = PracticeFactory(title="Stale", last_verified=today - datetime.timedelta(days=800))
    never = PracticeFactory(title="Never", last_verified=None)
    fresh = PracticeFactory(title="Fresh", last_verified=today - datetime.timedelta(days=30))
    archived = PracticeFactory(title="Gone", status=Status.ARCHIVED, last_verified=None)
    due = Practice.objects.not_verified_since(verification_cutoff())
    assert stale in due and never in due
    assert fresh not in due and archived not in due
    titles = [p.title for p in due.filter(pk__in=[stale.pk, never.pk])]
    assert titles == ["Never", "Stale"]

    client = Client()
    client.force_login(reviewer)
    response = client.get(reverse("admin:practices_practice_changelist") + "?verification=due")
    shown = list(response.context["cl"].result_list)
    assert stale in shown and never in shown and fresh not in shown

    client.post(
        reverse("admin:practices_practice_changelist") + "?verification=due",
        {"action": "mark_verified", "_selected_action": [stale.pk, never.pk]},
    )
    for practice in (stale, never):
        practice.refresh_from_db()
        assert practice.last_verified == today
        assert practice.history.first().history_change_reason == "Marked verified"
    assert not Practice.objects.not_verified_since(verification_cutoff()).filter(pk__in=[stale.pk, never.pk])


def test_the_finding_page_shows_when_it_was_last_verified(client):
    from tests.factories import FindingFactory

    finding = FindingFactory(last_verified=datetime.date(2026, 10, 1))
    assert (
        'Last verified <time datetime="2026-10-01">1 October 2026</time>'
        in client.get(finding.get_absolute_url()).content.decode()
    )
