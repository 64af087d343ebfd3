"""The privacy notice's retention promise: contact details older than a year are deleted."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from curation.models import CorrectionReport, Suggestion
from practices.models import Practice

pytestmark = pytest.mark.django_db


def suggestion(days_ago):
    item = Suggestion.objects.create(
        title="A helpline",
        description="Answers children.",
        organisation="An NGO",
        countries="Italy",
        contact_name="Ana",
        contact_email="ana@example.org",
        contact_role=Suggestion.Role.NGO,
    )
    Suggestion.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return item


def report(days_ago):
    practice = Practice.objects.published().first()
    item = CorrectionReport.objects.create(
        content_type=ContentType.objects.get_for_model(Practice),
        object_id=practice.pk,
        message="The date is wrong.",
        contact_email="ben@example.org",
    )
    CorrectionReport.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return item


def test_contact_details_older_than_a_year_are_blanked_and_the_rest_kept():
    old_suggestion, new_suggestion = suggestion(400), suggestion(30)
    old_report, new_report = report(366), report(364)
    out = StringIO()
    call_command("purge_contact_details", stdout=out)
    assert "1 suggestion(s), 1 correction report(s)" in out.getvalue()
    old_suggestion.refresh_from_db()
    assert (old_suggestion.contact_name, old_suggestion.contact_email) == ("", "")
    assert old_suggestion.title == "A helpline"  # the suggestion itself stays
    new_suggestion.refresh_from_db()
    assert new_suggestion.contact_email == "ana@example.org"
    old_report.refresh_from_db()
    new_report.refresh_from_db()
    assert old_report.contact_email == "" and new_report.contact_email == "ben@example.org"
