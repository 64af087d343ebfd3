"""Every change to entries, vocabularies and sources is recorded (who, when, which fields) and any
earlier version can be restored from the admin, by those allowed to edit the entry."""

import pytest
from django.test import Client
from django.urls import reverse

from kb.models import Organisation
from practices.models import Status
from taxonomy.models import Region, Theme
from tests.curation.test_permissions import change_form_data
from tests.factories import OrganisationFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def test_an_admin_edit_is_recorded_with_user_and_field_level_diff(reviewer):
    practice = PracticeFactory(status=Status.PUBLISHED, title="Children's councils")
    client = Client()
    client.force_login(reviewer)
    url = reverse("admin:practices_practice_change", args=[practice.pk])
    regions = [Region.objects.get(slug="europe").pk]
    client.post(url, change_form_data(practice, title="Children's councils in Europe", regions=regions))

    latest = practice.history.first()
    assert latest.history_user == reviewer
    first = practice.history.last()
    delta = latest.diff_against(first)
    changed = {change.field: change for change in delta.changes}
    assert changed["title"].old == "Children's councils" and changed["title"].new == "Children's councils in Europe"
    assert "regions" in changed

    page = client.get(reverse("admin:practices_practice_history", args=[practice.pk])).content.decode()
    assert "reviewer-user" in page and "Children&#x27;s councils in Europe" in page


def test_revert_restores_fields_and_classification(reviewer):
    practice = PracticeFactory(status=Status.PUBLISHED, title="Original title")
    original_version = practice.history.first()
    original_regions = set(practice.regions.values_list("pk", flat=True))
    client = Client()
    client.force_login(reviewer)
    change = reverse("admin:practices_practice_change", args=[practice.pk])
    europe = Region.objects.get(slug="europe").pk
    client.post(change, change_form_data(practice, title="Later title", regions=[europe]))
    practice.refresh_from_db()
    assert practice.title == "Later title"

    revert_url = reverse("admin:practices_practice_simple_history", args=[practice.pk, original_version.pk])
    form = client.get(revert_url).context["adminform"].form
    assert form.initial["title"] == "Original title"
    assert set(form.initial["regions"]) == original_regions
    client.post(revert_url, change_form_data(practice, title=form.initial["title"], regions=form.initial["regions"]))
    practice.refresh_from_db()
    assert practice.title == "Original title"
    assert set(practice.regions.values_list("pk", flat=True)) == original_regions
    assert practice.status == Status.PUBLISHED


def test_an_editor_cannot_revert_a_published_entry(editor):
    practice = PracticeFactory(status=Status.PUBLISHED, title="Original title")
    version = practice.history.first()
    practice.title = "Later title"
    practice.save()
    client = Client()
    client.force_login(editor)
    revert_url = reverse("admin:practices_practice_simple_history", args=[practice.pk, version.pk])
    assert client.get(revert_url).status_code == 200  # may look
    response = client.post(revert_url, change_form_data(practice, title="Original title"))
    assert response.status_code == 403
    practice.refresh_from_db()
    assert practice.title == "Later title"


def test_vocabulary_and_source_changes_are_recorded(admin_user_role):
    client = Client()
    client.force_login(admin_user_role)
    theme = Theme.objects.get(slug="migration")
    client.post(
        reverse("admin:taxonomy_theme_change", args=[theme.pk]),
        {"name": "Migration and mobility", "slug": theme.slug, "description": theme.description},
    )
    record = theme.history.first()
    assert record.name == "Migration and mobility" and record.history_user == admin_user_role

    organisation = OrganisationFactory(name="Before")
    organisation.name = "After"
    organisation.save()
    names = list(Organisation.history.filter(id=organisation.pk).order_by("history_id").values_list("name", flat=True))
    assert names == ["Before", "After"]
