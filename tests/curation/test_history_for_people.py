"""Issue 13: the admin history reads like the work: one row per save with the user, a readable
time, the reason (the workflow step or "Edited") and each changed field's old and new value in words."""

import pytest
from django.test import Client
from django.urls import reverse

from practices import services
from practices.models import Practice, Status
from taxonomy.models import Region
from tests.curation.test_permissions import change_form_data
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def test_one_row_per_save_in_words(editor, reviewer):
    practice = PracticeFactory(status=Status.DRAFT, title="Children's councils")
    client = Client()
    client.force_login(editor)
    change = reverse("admin:practices_practice_change", args=[practice.pk])
    europe = Region.objects.get(slug="europe")
    data = change_form_data(
        practice,
        title="Children's councils in Europe",
        regions=[europe.pk],
        evidence_level=Practice.EvidenceLevel.MIXED,
    )
    assert client.post(change, data).status_code == 302
    practice.refresh_from_db()
    services.entry_submit_for_review(practice, editor)
    services.entry_publish(practice, reviewer)

    page = client.get(reverse("admin:practices_practice_history", args=[practice.pk]))
    rows = page.context["history_rows"]()
    assert [row.reason for row in rows][:3] == ["Published", "Submitted for review", "Edited"]
    edit = rows[2]
    assert edit.user == "editor-user"
    changes = {label: (old, new) for label, old, new in edit.changes}
    assert changes["Title"] == ("Children's councils", "Children's councils in Europe")
    assert changes["Regions"][1] == "Europe"
    assert changes["Evidence level"][1] == str(Practice.EvidenceLevel.MIXED.label)
    published = {label: new for label, _, new in rows[0].changes}
    assert published["Status"] == "Published" and published["Published by"] == "reviewer-user"
    html = page.content.decode()
    for unreadable in ("Deleted user", "pk=None", "None", 'style="'):
        assert unreadable not in html, unreadable
    start = html.index('<table id="change-history">')
    table = html[start : html.index("</table>", start)]
    assert table.count("<tr>") == len(rows) + 1  # one row per save, plus the header


def test_the_history_page_of_an_untouched_entry_says_created(reviewer):
    practice = PracticeFactory(status=Status.PUBLISHED)
    client = Client()
    client.force_login(reviewer)
    rows = client.get(reverse("admin:practices_practice_history", args=[practice.pk])).context["history_rows"]()
    assert [row.reason for row in rows] == ["Created"]
    assert rows[0].user == "System (import or command line)"
