"""Vocabularies: a theme or target group in use cannot be deleted, only merged into another."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from practices.models import Finding, Practice
from taxonomy.merging import merge_terms
from taxonomy.models import TargetGroup, Theme
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:taxonomy_theme_changelist"


@pytest.fixture
def themes():
    old = Theme.objects.create(slug="online-grooming-old", name="Grooming (old)")
    survivor = Theme.objects.create(slug="online-grooming", name="Online grooming")
    both = FindingFactory(themes=[old, survivor])
    only_old = FindingFactory(themes=[old])
    practice = PracticeFactory(themes=[old])
    return old, survivor, both, only_old, practice


def test_merging_moves_every_entry_to_the_survivor_and_deletes_the_merged_theme(themes):
    old, survivor, both, only_old, practice = themes
    merge_terms([old], survivor)
    assert not Theme.objects.filter(pk=old.pk).exists()
    for entry in (both, only_old, practice):
        assert list(entry.themes.values_list("slug", flat=True)) == ["online-grooming"]
    assert set(survivor.findings.all()) == {both, only_old}


def test_the_merge_action_asks_for_the_survivor_then_merges(admin_client, themes):
    old, survivor, _, only_old, practice = themes
    data = {"action": "merge_into", ACTION_CHECKBOX_NAME: [old.pk]}
    response = admin_client.post(reverse(CHANGELIST), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "used by 2 findings, 1 practice" in page
    assert f'<option value="{survivor.pk}"' in page and f'<option value="{old.pk}"' not in page

    response = admin_client.post(reverse(CHANGELIST), data | {"apply": "1", "survivor": survivor.pk}, follow=True)
    assert "Merged Grooming (old) into Online grooming: 3 object(s) moved." in response.content.decode()
    assert not Theme.objects.filter(pk=old.pk).exists()
    assert only_old.themes.get() == survivor and practice.themes.get() == survivor


def test_target_groups_merge_too(admin_client):
    merged = TargetGroup.objects.create(slug="youngsters", name="Youngsters")
    children = TargetGroup.objects.get(slug="children")
    practice = PracticeFactory(target_groups=[merged])
    data = {"action": "merge_into", ACTION_CHECKBOX_NAME: [merged.pk], "apply": "1", "survivor": children.pk}
    admin_client.post(reverse("admin:taxonomy_targetgroup_changelist"), data)
    assert list(practice.target_groups.all()) == [children]


def test_a_theme_in_use_cannot_be_deleted(admin_client, themes):
    old = themes[0]
    url = reverse("admin:taxonomy_theme_delete", args=[old.pk])
    page = admin_client.get(url).content.decode()
    assert "is used by 2 findings, 1 practice: merge it into another theme instead" in page
    assert "cannot be deleted: it is used by 2 findings, 1 practice. Merge it instead." in page
    admin_client.post(url, {"post": "yes"})
    assert Theme.objects.filter(pk=old.pk).exists()

    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [old.pk], "post": "yes"}
    admin_client.post(reverse(CHANGELIST), data)
    assert Theme.objects.filter(pk=old.pk).exists()


def test_an_unused_theme_can_be_deleted(admin_client):
    unused = Theme.objects.create(slug="unused", name="Unused")
    admin_client.post(reverse("admin:taxonomy_theme_delete", args=[unused.pk]), {"post": "yes"})
    assert not Theme.objects.filter(pk=unused.pk).exists()


def test_merging_needs_change_and_delete_permissions(client, themes):
    old, survivor, *_ = themes
    user = User.objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_theme", "change_theme"]))
    client.force_login(user)
    data = {"action": "merge_into", ACTION_CHECKBOX_NAME: [old.pk], "apply": "1", "survivor": survivor.pk}
    client.post(reverse(CHANGELIST), data)
    assert Theme.objects.filter(pk=old.pk).exists()
    assert Finding.objects.filter(themes=old).count() == 2 and Practice.objects.filter(themes=old).exists()
