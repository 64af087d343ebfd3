"""Contributions from the field: suggesting a practice and reporting a correction, with a honeypot,
a per-address rate limit, a confirmation page, and contact details that stay private."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from curation.models import CorrectionReport, Suggestion
from practices.models import Status
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db

SUGGESTION = {
    "title": "Safe spaces in bus stations",
    "description": "Trained staff in bus stations who spot and help children travelling alone.",
    "organisation": "Association Example",
    "countries": "Morocco",
    "evidence": "",
    "url": "https://example.org/safe-spaces",
    "contact_name": "Amina Private",
    "contact_email": "amina.private@example.org",
    "contact_role": "ngo",
    "website": "",
}


def test_the_form_has_labels_csrf_and_a_hidden_honeypot(client):
    html = client.get(reverse("curation:suggest")).content.decode()
    assert "csrfmiddlewaretoken" in html
    for name in ("title", "description", "organisation", "countries", "contact_name", "contact_email"):
        assert f'<label for="id_{name}">' in html
    assert '<div class="honeypot" aria-hidden="true">' in html and 'tabindex="-1"' in html


def test_csrf_is_enforced():
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("curation:suggest"), SUGGESTION).status_code == 403
    assert not Suggestion.objects.exists()


def test_a_suggestion_is_stored_for_reviewers_and_confirmed(client):
    response = client.post(reverse("curation:suggest"), SUGGESTION, follow=True)
    assert response.redirect_chain == [(reverse("curation:suggest-thanks"), 302)]
    assert "we have your suggestion" in response.content.decode()
    suggestion = Suggestion.objects.get()
    assert suggestion.contact_email == "amina.private@example.org" and suggestion.state == Suggestion.State.NEW


def test_errors_are_announced_and_tied_to_their_fields(client):
    response = client.post(reverse("curation:suggest"), {**SUGGESTION, "contact_email": "not-an-address"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and 'id="contact_email-errors"' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="contact_email-errors"' in html
    assert not Suggestion.objects.exists()


def test_the_honeypot_drops_the_submission_silently(client):
    response = client.post(reverse("curation:suggest"), {**SUGGESTION, "website": "http://spam.example"})
    assert response.status_code == 302 and response["Location"] == reverse("curation:suggest-thanks")
    assert not Suggestion.objects.exists()


def test_submissions_are_rate_limited_per_address(settings):
    settings.KB_PUBLIC_FORM_RATE = (2, 3600)
    one, other = Client(REMOTE_ADDR="198.51.100.1"), Client(REMOTE_ADDR="198.51.100.2")
    for _ in range(2):
        assert one.post(reverse("curation:suggest"), SUGGESTION).status_code == 302
    refused = one.post(reverse("curation:suggest"), SUGGESTION)
    assert refused.status_code == 429 and "Too many submissions" in refused.content.decode()
    assert other.post(reverse("curation:suggest"), SUGGESTION).status_code == 302
    assert Suggestion.objects.count() == 3


def test_contact_details_never_appear_publicly(client, reviewer):
    client.post(reverse("curation:suggest"), SUGGESTION)
    suggestion = Suggestion.objects.get()
    practice = PracticeFactory(status=Status.PUBLISHED, title=SUGGESTION["title"])
    suggestion.practice = practice
    suggestion.save()
    for url in (
        practice.get_absolute_url(),
        reverse("practices:practice-list"),
        "/api/practices/?q=bus",
        f"/api/practices/?q={practice.slug}",
        "/",
    ):
        body = client.get(url).content.decode()
        assert "amina.private@example.org" not in body and "Amina Private" not in body, url


def test_reviewers_draft_a_practice_from_a_suggestion(reviewer):
    Client().post(reverse("curation:suggest"), SUGGESTION)
    suggestion = Suggestion.objects.get()
    client = Client()
    client.force_login(reviewer)
    page = client.get(reverse("admin:curation_suggestion_change", args=[suggestion.pk])).content.decode()
    assert "amina.private@example.org" in page
    assert "Draft a practice from this suggestion" in page
    add_url = reverse("admin:practices_practice_add") + f"?suggestion={suggestion.pk}&title=Safe+spaces"
    assert client.get(add_url).context["adminform"].form.initial["title"] == "Safe spaces"

    from tests.curation.test_permissions import change_form_data

    template = PracticeFactory(status=Status.PUBLISHED)
    data = change_form_data(template, slug="safe-spaces-bus-stations", title="Safe spaces in bus stations")
    assert client.post(add_url, data).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.DRAFTED
    assert suggestion.practice.slug == "safe-spaces-bus-stations" and suggestion.practice.status == Status.DRAFT


@pytest.mark.parametrize("factory", [PracticeFactory, FindingFactory])
def test_a_correction_report_reaches_the_reviewers(client, reviewer, factory):
    entry = factory(status=Status.PUBLISHED)
    kind = type(entry)._meta.model_name
    url = reverse("curation:report", kwargs={"kind": kind, "slug": entry.slug})
    form = client.get(url)
    assert form.status_code == 200 and entry.title in form.content.decode()
    response = client.post(url, {"message": "The organisation changed its name.", "contact_email": ""}, follow=True)
    assert response.redirect_chain == [(reverse("curation:report-thanks"), 302)]
    report = CorrectionReport.objects.get()
    assert report.entry == entry and report.is_open

    staff = Client()
    staff.force_login(reviewer)
    change = staff.get(reverse(f"admin:practices_{kind}_change", args=[entry.pk])).content.decode()
    assert "The organisation changed its name." in change  # inline beside the entry
    listing = staff.get(reverse("admin:curation_correctionreport_changelist") + "?state=open").content.decode()
    assert "The organisation changed its name." in listing
    staff.post(
        reverse("admin:curation_correctionreport_changelist"),
        {"action": "close_corrected", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert not report.is_open and report.resolved_by == reviewer


def test_editors_see_but_cannot_close_correction_reports(editor):
    entry = PracticeFactory()
    report = CorrectionReport.objects.create(
        content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk, message="Wrong year."
    )
    client = Client()
    client.force_login(editor)
    changelist = reverse("admin:curation_correctionreport_changelist")
    assert client.get(changelist).status_code == 200
    client.post(changelist, {"action": "close_corrected", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.is_open


@pytest.mark.parametrize("status", [Status.DRAFT, Status.ARCHIVED])
def test_corrections_only_for_published_entries(client, status):
    entry = PracticeFactory(status=status)
    assert client.get(reverse("curation:report", kwargs={"kind": "practice", "slug": entry.slug})).status_code == 404
    assert client.get(reverse("curation:report", kwargs={"kind": "nonsense", "slug": entry.slug})).status_code == 404


def test_correction_reports_have_the_honeypot_and_rate_limit(client, settings):
    settings.KB_PUBLIC_FORM_RATE = (1, 3600)
    entry = FindingFactory()
    url = reverse("curation:report", kwargs={"kind": "finding", "slug": entry.slug})
    client.post(url, {"message": "Spam", "website": "x"})
    assert not CorrectionReport.objects.exists()
    assert client.post(url, {"message": "Second"}).status_code == 429
    assert not CorrectionReport.objects.exists()


def test_editors_see_neither_suggestions_nor_readers_addresses(editor):
    Client().post(reverse("curation:suggest"), SUGGESTION)
    entry = PracticeFactory(status=Status.DRAFT)
    report = CorrectionReport.objects.create(
        content_type=ContentType.objects.get_for_model(entry),
        object_id=entry.pk,
        message="Wrong year.",
        contact_email="reader.private@example.org",
    )
    client = Client()
    client.force_login(editor)
    assert client.get(reverse("admin:curation_suggestion_changelist")).status_code == 403
    for url in (
        reverse("admin:practices_practice_change", args=[entry.pk]),
        reverse("admin:curation_correctionreport_change", args=[report.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Wrong year." in html and "reader.private@example.org" not in html


def test_help_texts_and_errors_are_both_announced(client):
    response = client.post(reverse("curation:suggest"), {**SUGGESTION, "countries": ""})
    html = response.content.decode()
    assert '<p class="help" id="id_countries_helptext">' in html
    assert 'aria-describedby="countries-errors id_countries_helptext"' in html
    assert 'aria-describedby="id_evidence_helptext"' in html and 'id="id_evidence_helptext"' in html
