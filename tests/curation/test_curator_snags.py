"""Issue 13's snags in the curator's day: closing a correction keeps the reviewer's note, drafting
from a suggestion fills the slug, the slug sits below the title, and a published slug change keeps
the old address working (301)."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from curation.models import CorrectionReport, Suggestion
from practices.models import FormerSlug, Status
from tests.curation.test_contributions import SUGGESTION
from tests.curation.test_permissions import change_form_data
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def open_report(entry, message="Wrong year.", **fields):
    return CorrectionReport.objects.create(
        content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk, message=message, **fields
    )


def test_the_close_action_keeps_a_typed_note_and_fills_an_empty_one(reviewer):
    entry = PracticeFactory(status=Status.PUBLISHED)
    typed = open_report(entry, resolution="Year corrected to 2012; thanked the reader.")
    untyped = open_report(entry, message="Other")
    logged_in(reviewer).post(
        reverse("admin:curation_correctionreport_changelist"),
        {"action": "close_corrected", "_selected_action": [typed.pk, untyped.pk]},
    )
    typed.refresh_from_db()
    untyped.refresh_from_db()
    assert typed.resolution == "Year corrected to 2012; thanked the reader." and not typed.is_open
    assert untyped.resolution == "Corrected." and not untyped.is_open


def test_saving_a_resolution_closes_the_report(reviewer):
    report = open_report(PracticeFactory(status=Status.PUBLISHED))
    url = reverse("admin:curation_correctionreport_change", args=[report.pk])
    response = logged_in(reviewer).post(
        url, {"resolution": "Fixed the year.", "resolved_at_0": "", "resolved_at_1": "", "resolved_by": ""}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert not report.is_open and report.resolved_by == reviewer and report.resolution == "Fixed the year."


def test_drafting_from_a_suggestion_fills_the_slug_and_labels_the_rows(reviewer):
    Client().post(reverse("curation:suggest"), SUGGESTION)
    suggestion = Suggestion.objects.get()
    client = logged_in(reviewer)
    page = client.get(reverse("admin:curation_suggestion_change", args=[suggestion.pk]))
    html = page.content.decode()
    assert "Draft:" in html and "Linked practice:" in html and html.count(">Practice:<") == 0
    link = next(url for url in _links(html) if "suggestion=" in url)
    assert parse_qs(urlparse(link).query)["suggestion"] == [str(suggestion.pk)]
    form = client.get(link).context["adminform"].form
    assert form.initial["slug"] == "safe-spaces-in-bus-stations"
    assert "\n\nRun by" in form.initial["description"]  # line breaks kept: read from the suggestion


def _links(html):
    return [url.replace("&amp;", "&") for url in re.findall(r'href="([^"]+)"', html)]


@pytest.mark.parametrize("factory", [PracticeFactory, FindingFactory])
def test_the_slug_sits_below_the_title_and_follows_it_while_unpublished(admin_user_role, factory):
    kind = factory._meta.model._meta.model_name
    client = logged_in(admin_user_role)
    form = client.get(reverse(f"admin:practices_{kind}_add")).context["adminform"].form
    names = list(form.fields)
    # Right below the title's row (the French title shares that row when the form has it).
    assert names.index("slug") == names.index("title") + (2 if "title_fr" in names else 1)
    assert form.fields["slug"].widget.attrs["data-slug-from"] == "id_title"
    published = factory(status=Status.PUBLISHED)
    form = client.get(reverse(f"admin:practices_{kind}_change", args=[published.pk])).context["adminform"].form
    assert "data-slug-from" not in form.fields["slug"].widget.attrs


def test_a_published_slug_change_redirects_the_old_address(client, admin_user_role):
    practice = PracticeFactory(status=Status.PUBLISHED, slug="safe-spaces-in-bus-statoins")
    old_url = practice.get_absolute_url()
    data = change_form_data(practice, slug="safe-spaces-in-bus-stations")
    response = logged_in(admin_user_role).post(reverse("admin:practices_practice_change", args=[practice.pk]), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    practice.refresh_from_db()
    assert practice.slug == "safe-spaces-in-bus-stations"
    moved = client.get(old_url)
    assert moved.status_code == 301 and moved["Location"] == practice.get_absolute_url()
    assert client.get(practice.get_absolute_url()).status_code == 200


def test_a_draft_slug_change_leaves_no_redirect_and_a_reused_slug_wins(client):
    draft = PracticeFactory(status=Status.DRAFT, slug="first-try")
    draft.slug = "second-try"
    draft.save()
    assert not FormerSlug.objects.exists()
    published = PracticeFactory(status=Status.PUBLISHED, slug="old-name")
    published.slug = "new-name"
    published.save()
    published.slug = "old-name"  # back again: the old address is the entry's own once more
    published.save()
    assert list(FormerSlug.objects.values_list("slug", flat=True)) == ["new-name"]
    assert client.get("/practices/old-name/").status_code == 200
    assert client.get("/practices/new-name/")["Location"] == "/practices/old-name/"
    assert client.get("/practices/no-such-name/").status_code == 404
