"""Only published entries are public; archived ones keep their address with a notice (or redirect
to a published successor); staff preview drafts on the public template under a banner."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practices.models import Status
from tests.factories import FindingFactory, PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW])
def test_unpublished_entries_are_not_found(client, status, entry_factory):
    entry = entry_factory(status=status)
    assert client.get(entry.get_absolute_url()).status_code == 404


def test_an_archived_entry_keeps_its_address_with_a_notice(client, entry_factory):
    entry = entry_factory(status=Status.ARCHIVED, archived_at=timezone.now(), title="Old approach")
    response = client.get(entry.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "<strong>Archived</strong> on" in html and "Old approach" in html
    list_url = reverse(f"practices:{type(entry)._meta.model_name}-list")
    assert "Old approach" not in client.get(list_url).content.decode()


def test_an_archived_entry_redirects_to_its_published_successor(client):
    successor = PracticeFactory(status=Status.PUBLISHED)
    archived = PracticeFactory(status=Status.ARCHIVED, successor=successor)
    response = client.get(archived.get_absolute_url())
    assert response.status_code == 301 and response["Location"] == successor.get_absolute_url()


def test_an_unpublished_successor_is_not_revealed(client):
    successor = FindingFactory(status=Status.DRAFT, title="Secret draft")
    archived = FindingFactory(status=Status.ARCHIVED, successor=successor)
    response = client.get(archived.get_absolute_url())
    assert response.status_code == 200 and "Secret draft" not in response.content.decode()


def test_published_pages_are_indexable_and_unmarked(client):
    practice = PracticeFactory(status=Status.PUBLISHED)
    response = client.get(practice.get_absolute_url())
    assert "X-Robots-Tag" not in response
    assert "noindex" not in response.content.decode() and "notice-preview" not in response.content.decode()


def test_staff_preview_a_draft_on_the_public_template(editor, entry_factory):
    entry = entry_factory(status=Status.DRAFT, title="Draft under work")
    client = Client()
    client.force_login(editor)
    response = client.get(entry.get_preview_url())
    assert response.status_code == 200
    assert response.template_name[0] == f"practices/{type(entry)._meta.model_name}_detail.html"
    html = response.content.decode()
    assert "<strong>Preview</strong>" in html and "Draft under work" in html
    assert response["X-Robots-Tag"] == "noindex" and '<meta name="robots" content="noindex">' in html
    assert "Report a correction" not in html


def test_preview_is_for_staff_only(client):
    draft = PracticeFactory(status=Status.DRAFT)
    anonymous = client.get(draft.get_preview_url())
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")

    visitor = UserFactory(username="visitor")
    visitor.user_permissions.add(Permission.objects.get(codename="view_practice"))
    client.force_login(visitor)  # has the permission but is not staff
    assert client.get(draft.get_preview_url()).status_code == 403

    bare_staff = UserFactory(username="bare-staff", is_staff=True)
    client.force_login(bare_staff)  # staff without the permission
    assert client.get(draft.get_preview_url()).status_code == 403


def test_view_on_site_goes_to_the_preview_until_published(editor):
    draft, published = PracticeFactory(status=Status.DRAFT), PracticeFactory(status=Status.PUBLISHED)
    client = Client()
    client.force_login(editor)
    content_type = ContentType.objects.get_for_model(published).pk
    shortcut = reverse("admin:view_on_site", args=[content_type, published.pk])  # redirects to the public page
    for entry, expected in ((draft, draft.get_preview_url()), (published, shortcut)):
        html = client.get(reverse("admin:practices_practice_change", args=[entry.pk])).content.decode()
        assert f'<a href="{expected}" class="viewsitelink">' in html


def test_practice_description_is_rendered_as_sanitised_markdown(client):
    practice = PracticeFactory(description="Works **with** children.\n\n<script>alert(1)</script>")
    html = client.get(practice.get_absolute_url()).content.decode()
    assert "Works <strong>with</strong> children." in html
    assert "<script>alert(1)</script>" not in html


def test_every_public_detail_page_links_to_a_correction_report(client, entry_factory):
    entry = entry_factory(status=Status.PUBLISHED)
    kind = type(entry)._meta.model_name
    html = client.get(entry.get_absolute_url()).content.decode()
    assert f'href="/report/{kind}/{entry.slug}/"' in html


def test_archived_and_unpublished_entries_stay_out_of_the_api(client):
    archived = PracticeFactory(status=Status.ARCHIVED, title="Archived zebra practice")
    in_review = PracticeFactory(status=Status.IN_REVIEW, title="Reviewed zebra practice")
    published = PracticeFactory(status=Status.PUBLISHED, title="Published zebra practice")
    slugs = {row["slug"] for row in client.get("/api/practices/?q=zebra").json()["results"]}
    assert published.slug in slugs and archived.slug not in slugs and in_review.slug not in slugs
