"""The admin import (upload, preview, confirm), export actions, and who may use them."""

import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from content.importing import import_file
from practices.models import Practice, Status
from tests.content.import_files import csv_bytes, practice_row

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:practices_practice_import"
CHANGELIST = "admin:practices_practice_changelist"


def staff(*codenames):
    user = User.objects.create_user("curator", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def upload(client, rows, name="new.csv"):
    file = SimpleUploadedFile(name, csv_bytes(rows), content_type="text/csv")
    return client.post(reverse(IMPORT_URL), {"file": file})


def test_upload_shows_a_preview_then_confirm_imports(admin_client):
    Practice.objects.filter(slug="prosecuting-sexual-offences-committed-abroad").update(title="Old title")
    rows = [practice_row("admin-imported"), practice_row("admin-imported-2")]
    response = upload(admin_client, rows)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Would create 2, update 0, leave 0 unchanged." in page
    assert page.count("<td>create</td>") == 2 and "Confirm import" in page
    assert not Practice.objects.filter(slug="admin-imported").exists()

    token = response.context["token"]
    response = admin_client.post(reverse(IMPORT_URL), {"confirm": "1", "token": token}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    assert "Did create 2" in response.content.decode()
    assert Practice.objects.filter(slug__in=["admin-imported", "admin-imported-2"]).count() == 2

    response = upload(admin_client, rows)
    assert "Would create 0, update 0, leave 2 unchanged." in response.content.decode()


def test_preview_flags_updates_and_possible_duplicates(admin_client):
    existing = Practice.objects.get(slug="prosecuting-sexual-offences-committed-abroad")
    rows = [
        practice_row(existing.slug, title=existing.title, summary="A rewritten summary."),
        practice_row("near-copy", title=existing.title + "!", summary="Something else entirely, in other words."),
    ]
    response = upload(admin_client, rows)
    page = response.content.decode()
    assert "<td>update</td>" in page and "<td>create</td>" in page
    assert f'<a href="{reverse("admin:practices_practice_change", args=[existing.pk])}">{existing.title}</a>' in page


def test_an_invalid_file_shows_each_problem_and_writes_nothing(admin_client):
    rows = [practice_row("fine"), practice_row("broken", pillars="pretension", quote="")]
    response = upload(admin_client, rows)
    page = response.content.decode()
    assert "2 problems in new.csv: nothing was imported" in page
    assert (
        "<td>row 3</td><td>pillars</td>"
        "<td>unknown pillar &#x27;pretension&#x27; — did you mean &quot;prevention&quot;?</td>" in page
    )
    assert "<td>row 3</td><td>quote</td><td>is required</td>" in page
    assert "Confirm import" not in page
    assert not Practice.objects.filter(slug="fine").exists()


def test_a_stale_confirmation_imports_nothing(admin_client):
    response = admin_client.post(reverse(IMPORT_URL), {"confirm": "1", "token": "forged"}, follow=True)
    assert "That preview has expired" in response.content.decode()


def test_a_wrong_file_type_is_refused_by_the_form(admin_client):
    file = SimpleUploadedFile("notes.pdf", b"%PDF", content_type="application/pdf")
    response = admin_client.post(reverse(IMPORT_URL), {"file": file})
    assert "Use a .csv, .xlsx, .json file." in response.content.decode()


def test_only_staff_who_may_add_and_change_entries_can_import(client):
    client.force_login(staff("view_practice"))
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert upload(client, [practice_row("sneaky")]).status_code == 403
    assert not Practice.objects.filter(slug="sneaky").exists()

    User.objects.get(username="curator").user_permissions.add(
        *Permission.objects.filter(codename__in=["add_practice", "change_practice"])
    )
    assert client.get(reverse(IMPORT_URL)).status_code == 200


def test_a_user_who_may_not_publish_imports_published_rows_as_drafts():
    user = staff("add_practice", "change_practice")  # not change_finding: may not publish
    report = import_file(
        "p.csv", csv_bytes([practice_row("wants-publishing", status="published")]), default_kind="practices", user=user
    )
    assert report.ok
    assert Practice.objects.get(slug="wants-publishing").status == Status.DRAFT
    assert "row 2 › status: you may not publish; kept as draft" in [str(note) for note in report.notes]


def test_a_user_who_may_not_publish_cannot_change_a_published_entry_by_import():
    """As in the admin, an Editor may not change what is in review, published or archived."""
    user = staff("add_practice", "change_practice")
    slug = "prosecuting-sexual-offences-committed-abroad"
    before = Practice.objects.get(slug=slug)
    assert before.status == Status.PUBLISHED
    row = practice_row(slug, status="published") | {"title": "Retitled by an editor"}
    report = import_file("p.csv", csv_bytes([row]), default_kind="practices", user=user)
    assert not report.ok
    assert "row 2 › slug: is published: only a reviewer may change it" in [str(p) for p in report.problems]
    after = Practice.objects.get(slug=slug)
    assert (after.title, after.status) == (before.title, Status.PUBLISHED)


def test_the_changelist_links_to_the_import(admin_client):
    page = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert reverse(IMPORT_URL) in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_exporting_a_selection_gives_a_file_that_reimports_unchanged(admin_client, fmt):
    selected = list(Practice.objects.order_by("slug").values_list("pk", flat=True)[:3])
    response = admin_client.post(
        reverse(CHANGELIST), {"action": f"export_selected_{fmt}", "_selected_action": selected}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="practices-')
    content = response.content
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        assert sheet.title == "practices" and sheet.max_row == 4
    report = import_file(f"export.{fmt}", content, default_kind="practices", dry_run=True)
    assert report.ok, report.text()
    assert [a.action for a in report.actions] == ["unchanged"] * 3


def test_export_actions_need_the_view_permission(client):
    client.force_login(staff("view_practice"))
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert "export_selected_csv" in page
    assert reverse(IMPORT_URL) in page  # the link shows; the view itself refuses (tested above)
    User.objects.get(username="curator").user_permissions.clear()
    assert client.get(reverse(CHANGELIST)).status_code == 403


def test_findings_have_the_same_import_reading_rows_as_findings(admin_client):
    from tests.content.import_files import QUOTE_A

    header = ["slug", "kind", "title", "summary", "source", "section", "quote", "pillars", "regions"]
    row = {"slug": "finding-via-admin", "kind": "fact", "title": "Experts met", "summary": "They met.",
           "source": "rome-2012-report", "section": "A", "quote": QUOTE_A, "pillars": "promotion",
           "regions": "global"}  # fmt: skip
    file = SimpleUploadedFile("f.csv", csv_bytes([row], header), content_type="text/csv")
    response = admin_client.post(reverse("admin:practices_finding_import"), {"file": file})
    assert "Would create 1, update 0, leave 0 unchanged." in response.content.decode()
