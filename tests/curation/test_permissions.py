"""The permission matrix: anonymous visitors, editors, reviewers and admins can each do exactly
what their role allows and nothing more, checked in the service functions and in the admin."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from practices import services
from practices.models import Practice, Status
from taxonomy.models import Theme
from tests.curation.conftest import ROLES, make_user
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db

# action -> (starting status, roles allowed)
SERVICE_MATRIX = {
    "submit": (Status.DRAFT, {"editor", "reviewer", "admin"}),
    "publish": (Status.IN_REVIEW, {"reviewer", "admin"}),
    "return": (Status.IN_REVIEW, {"reviewer", "admin"}),
    "archive": (Status.PUBLISHED, {"reviewer", "admin"}),
    "verify": (Status.PUBLISHED, {"reviewer", "admin"}),
    "add_theme_to_draft": (Status.DRAFT, {"editor", "reviewer", "admin"}),
    "add_theme_to_published": (Status.PUBLISHED, {"reviewer", "admin"}),
    "delete_draft": (Status.DRAFT, {"admin"}),
}


def run_service(action, entry, user):
    theme = Theme.objects.get(slug="migration")
    return {
        "submit": lambda: services.entry_submit_for_review(entry, user),
        "publish": lambda: services.entry_publish(entry, user),
        "return": lambda: services.entry_return_to_draft(entry, user, "Check the quote."),
        "archive": lambda: services.entry_archive(entry, user),
        "verify": lambda: services.entry_mark_verified(entry, user),
        "add_theme_to_draft": lambda: services.entry_add_theme(entry, user, theme),
        "add_theme_to_published": lambda: services.entry_add_theme(entry, user, theme),
        "delete_draft": lambda: services.entry_delete(entry, user),
    }[action]()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(SERVICE_MATRIX))
def test_service_permission_matrix(role, action, entry_factory):
    status, allowed = SERVICE_MATRIX[action]
    entry = entry_factory(status=status)
    user = make_user(role)
    model = type(entry)
    if role in allowed:
        run_service(action, entry, user)
        if action == "delete_draft":
            assert not model.objects.filter(pk=entry.pk).exists()
        else:
            entry.refresh_from_db()
            assert entry.history.first().history_user == user
    else:
        with pytest.raises(PermissionDenied):
            run_service(action, entry, user)
        assert model.objects.get(pk=entry.pk).status == status
        if action.startswith("add_theme"):
            assert not entry.themes.filter(slug="migration").exists()


def client_for(role):
    client = Client()
    user = make_user(role)
    if role != "anonymous":
        client.force_login(user)
    return client, user


def change_form_data(practice, **overrides):
    data = {
        "slug": practice.slug,
        "title": practice.title,
        "summary": practice.summary,
        "quote": practice.quote,
        "section": practice.section_id,
        "session": practice.session_id or "",
        "pillars": [p.pk for p in practice.pillars.all()],
        "regions": [r.pk for r in practice.regions.all()],
        "description": practice.description,
        "practice_type": practice.practice_type,
        "child_participation": practice.child_participation,
        "evidence_level": practice.evidence_level,
        "basis": practice.basis,
        "rating_reason": practice.rating_reason,
        "target_groups": [t.pk for t in practice.target_groups.all()],
        "extra_quotes-TOTAL_FORMS": 0,
        "extra_quotes-INITIAL_FORMS": 0,
        "curation-correctionreport-content_type-object_id-TOTAL_FORMS": 0,
        "curation-correctionreport-content_type-object_id-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("role", "status", "can_edit"),
    [
        ("anonymous", Status.DRAFT, False),
        ("editor", Status.DRAFT, True),
        ("editor", Status.IN_REVIEW, False),
        ("editor", Status.PUBLISHED, False),
        ("reviewer", Status.DRAFT, True),
        ("reviewer", Status.PUBLISHED, True),
        ("admin", Status.PUBLISHED, True),
    ],
)
def test_admin_change_form_respects_the_workflow(role, status, can_edit):
    practice = PracticeFactory(status=status)
    client, _ = client_for(role)
    url = reverse("admin:practices_practice_change", args=[practice.pk])
    response = client.post(url, change_form_data(practice, title="Changed title"))
    practice.refresh_from_db()
    if can_edit:
        assert response.status_code == 302, response.context and response.context["adminform"].form.errors
        assert practice.title == "Changed title"
        assert practice.status == status  # the form never changes the status
    else:
        assert response.status_code in (302, 403) and practice.title != "Changed title"
        if role == "anonymous":
            assert "/admin/login/" in response["Location"]


def test_the_status_cannot_be_set_through_the_change_form(editor):
    practice = PracticeFactory(status=Status.DRAFT)
    client = Client()
    client.force_login(editor)
    url = reverse("admin:practices_practice_change", args=[practice.pk])
    client.post(url, change_form_data(practice, status=Status.PUBLISHED))
    practice.refresh_from_db()
    assert practice.status == Status.DRAFT


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        ("editor", "submit_for_review", True),
        ("editor", "publish", False),
        ("editor", "archive", False),
        ("editor", "mark_verified", False),
        ("reviewer", "publish", True),
        ("reviewer", "archive", True),
        ("reviewer", "mark_verified", True),
        ("admin", "publish", True),
    ],
)
def test_admin_bulk_actions_respect_permissions(role, action, allowed):
    start = {"submit_for_review": Status.DRAFT, "publish": Status.IN_REVIEW}.get(action, Status.PUBLISHED)
    practices = [PracticeFactory(status=start), PracticeFactory(status=start)]
    client, _ = client_for(role)
    changelist = reverse("admin:practices_practice_changelist")
    offered = [name for name, _ in client.get(changelist).context["action_form"].fields["action"].choices]
    assert (action in offered) is allowed
    client.post(changelist, {"action": action, "_selected_action": [p.pk for p in practices]})
    expected = {
        "submit_for_review": Status.IN_REVIEW,
        "publish": Status.PUBLISHED,
        "archive": Status.ARCHIVED,
        "mark_verified": Status.PUBLISHED,
    }[action]
    for practice in practices:
        practice.refresh_from_db()
        if allowed:
            assert practice.status == expected
            if action == "mark_verified":
                assert practice.last_verified is not None
        else:
            assert practice.status == start and practice.last_verified is None


def test_a_forged_action_post_is_refused_by_the_service(editor):
    """Even when the action is not offered, posting it changes nothing."""
    practice = PracticeFactory(status=Status.IN_REVIEW)
    client = Client()
    client.force_login(editor)
    client.post(
        reverse("admin:practices_practice_changelist"), {"action": "publish", "_selected_action": [practice.pk]}
    )
    practice.refresh_from_db()
    assert practice.status == Status.IN_REVIEW


@pytest.mark.parametrize(
    ("role", "step", "allowed"),
    [
        ("editor", "publish", False),
        ("editor", "return", False),
        ("reviewer", "publish", True),
        ("reviewer", "return", True),
        ("admin", "return", True),
    ],
)
def test_admin_workflow_page_checks_permissions(role, step, allowed):
    practice = PracticeFactory(status=Status.IN_REVIEW)
    client, _ = client_for(role)
    url = reverse("admin:practices_practice_workflow", args=[practice.pk])
    response = client.post(url, {"step": step, "comment": "Please add the country."})
    practice.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert practice.status == {"publish": Status.PUBLISHED, "return": Status.DRAFT}[step]
    else:
        assert response.status_code == 403
        assert practice.status == Status.IN_REVIEW


@pytest.mark.parametrize(("role", "allowed"), [("editor", False), ("reviewer", False), ("admin", True)])
def test_only_admins_change_vocabularies_and_users(role, allowed):
    client, user = client_for(role)
    theme = Theme.objects.get(slug="migration")
    response = client.post(
        reverse("admin:taxonomy_theme_change", args=[theme.pk]),
        {"name": "Migration and mobility", "slug": theme.slug, "description": theme.description},
    )
    theme.refresh_from_db()
    assert (theme.name == "Migration and mobility") is allowed
    assert (response.status_code == 302) is allowed
    users = client.get(reverse("admin:auth_user_changelist"))
    assert (users.status_code == 200) is allowed
    assert user.has_perm("auth.change_user") is allowed
    assert user.has_perm("practices.delete_practice") is allowed


@pytest.mark.parametrize("role", ["editor", "reviewer", "admin"])
def test_staff_roles_can_add_drafts(role):
    client, _ = client_for(role)
    data = change_form_data(Practice.objects.first(), slug="brand-new-practice", title="A brand new practice")
    response = client.post(reverse("admin:practices_practice_add"), data)
    assert response.status_code == 302
    created = Practice.objects.get(slug="brand-new-practice")
    assert created.status == Status.DRAFT
    assert created.history.first().history_user.username == f"{role}-user"


def test_anonymous_users_reach_no_admin_page():
    practice = PracticeFactory(status=Status.DRAFT)
    client = Client()
    for url in (
        reverse("admin:practices_practice_changelist"),
        reverse("admin:practices_practice_workflow", args=[practice.pk]),
        reverse("admin:practices_practice_history", args=[practice.pk]),
        reverse("review-queue"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


@pytest.mark.parametrize(
    "url",
    [
        "/admin/practices/practice/not-a-number/workflow/",
        "/admin/practices/practice/999999999/workflow/",
        "/admin/practices/practice/not-a-number/history/1/",
        "/admin/practices/practice/1/history/not-a-version/",
        "/practices/no-such-practice/preview/",
        "/report/practice/no-such-practice/",
    ],
)
def test_malformed_curation_addresses_are_not_found(admin_user_role, url):
    client = Client()
    client.force_login(admin_user_role)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("role", "allowed"), [("editor", False), ("reviewer", True), ("admin", True)])
def test_imports_publish_only_for_those_who_may_publish(role, allowed):
    from content.importing import may_publish

    assert may_publish(make_user(role)) is allowed
