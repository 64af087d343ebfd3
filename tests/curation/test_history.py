"""Every change to entries, vocabularies and sources is recorded (who, when, which fields) and any
earlier version can be restored from the admin, by those allowed to edit the entry."""

import pytest
from django.test import Client
from django.urls import reverse

from kb.models import Organisation
from practices import services
from practices.kinds import ENTRY_KINDS
from practices.models import WORKFLOW_FIELDS, Status
from taxonomy.models import Region, Theme
from tests.curation.test_permissions import change_form_data
from tests.factories import FindingFactory, OrganisationFactory, PracticeFactory

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


def revert_post_data(form, **overrides):
    """What a curator's browser posts from a revert page: the chosen version's values, edited."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if hasattr(field, "queryset") and isinstance(value, (list, tuple)):
            value = [getattr(item, "pk", item) for item in value]
        data[name] = value
    return {**data, **overrides}


@pytest.mark.parametrize("kind", ENTRY_KINDS, ids=str)
def test_a_revert_to_a_published_version_never_publishes_a_returned_draft(kind, editor, reviewer):
    """The attack: a Reviewer returns a published entry to draft; its Editor then "reverts" it to the
    version that was published, with their own text. The entry stays a draft, the earlier publisher
    is not credited with the Editor's text, and the revert is a recorded step of its own."""
    factory = {"finding": FindingFactory, "practice": PracticeFactory}[kind.singular]
    entry = factory(status=Status.IN_REVIEW, title="Reviewed text")
    services.entry_publish(entry, reviewer)
    published_version = entry.history.first()
    assert published_version.status == Status.PUBLISHED
    services.entry_return_to_draft(entry, reviewer, "The quote is from another section.")
    entry.refresh_from_db()
    before = {name: getattr(entry, kind.model._meta.get_field(name).attname) for name in WORKFLOW_FIELDS}

    client = Client()
    client.force_login(editor)
    url = reverse(f"admin:practices_{kind.singular}_simple_history", args=[entry.pk, published_version.pk])
    form = client.get(url).context["adminform"].form
    response = client.post(url, revert_post_data(form, title="Unreviewed text"))
    assert response.status_code == 302

    entry.refresh_from_db()
    assert entry.title == "Unreviewed text"  # the content is reverted (and edited)...
    assert entry.status == Status.DRAFT  # ...the editorial state is not
    assert entry.published_by == reviewer
    assert {name: getattr(entry, kind.model._meta.get_field(name).attname) for name in WORKFLOW_FIELDS} == before
    assert not kind.model.objects.published().filter(pk=entry.pk).exists()
    step = entry.history.first()
    assert step.history_user == editor
    assert step.history_change_reason.startswith("Reverted to the version of ")
    assert step.status == Status.DRAFT


def test_a_revert_keeps_the_status_of_a_published_entry(reviewer):
    """The other way round: reverting a published entry to a draft version does not unpublish it."""
    entry = PracticeFactory(status=Status.DRAFT, title="Draft text")
    draft_version = entry.history.first()
    services.entry_publish(entry, reviewer)
    client = Client()
    client.force_login(reviewer)
    url = reverse("admin:practices_practice_simple_history", args=[entry.pk, draft_version.pk])
    form = client.get(url).context["adminform"].form
    assert client.post(url, revert_post_data(form)).status_code == 302
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED and entry.published_by == reviewer and entry.title == "Draft text"
