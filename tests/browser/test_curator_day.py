"""The curator's whole day in one browser test (issue 13): an Editor drafts a practice (its slug
following the title) and submits it; a Reviewer publishes it from the review queue; the public
page appears and the facet counts grow; a reader's correction is closed with the reviewer's note
kept; a suggestion from the field becomes a draft; a semicolon-separated CSV imports."""

import csv
import re

import pytest
from django.contrib.auth.models import Group
from django.test import modify_settings, override_settings

from curation.models import CorrectionReport, Suggestion
from curation.roles import EDITOR, REVIEWER
from practices.models import Practice, Status
from tests.browser.conftest import DESKTOP, Tab, ensure_curation_roles
from tests.content.import_files import HEADER, practice_row
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"
TITLE = "Child-friendly interview rooms in courts"
SLUG = "child-friendly-interview-rooms-in-courts"


def curator(name, group):
    user = UserFactory(username=name, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(browser, url, username):
    tab = Tab(browser, DESKTOP)
    tab.goto(url + "/admin/login/")
    tab.page.fill("#id_username", username)
    tab.page.fill("#id_password", PASSWORD)
    tab.page.click("input[type=submit]")
    tab.page.wait_for_url(url + "/admin/")
    return tab


def choose(page, select_id, values):
    """Choose values in an autocomplete widget's <select> (what Select2 does when one picks them)."""
    page.evaluate(
        """([id, values]) => {
          const select = document.getElementById(id);
          for (const [value, text] of values) select.add(new Option(text, value, true, true));
          select.dispatchEvent(new Event("change", {bubbles: true}));
        }""",
        [select_id, values],
    )


def fill_practice(page, model):
    """The content fields of the add form, from ``model`` (a published practice: its quote is
    verbatim from its section)."""
    page.fill("#id_summary", "Rooms where children are heard once, on video, by trained staff.")
    page.fill("#id_quote", model.quote)
    page.fill("#id_description", "Courts equip rooms so that children give evidence once.")
    page.select_option("#id_practice_type", model.practice_type)
    choose(page, "id_section", [(model.section_id, str(model.section))])
    choose(page, "id_pillars", [(p.pk, str(p)) for p in model.pillars.all()])
    choose(page, "id_regions", [(r.pk, str(r)) for r in model.regions.all()])
    choose(page, "id_target_groups", [(t.pk, str(t)) for t in model.target_groups.all()])


def result_count(tab, url):
    tab.goto(url)
    return int(re.match(r"\d+", tab.page.inner_text("#result-count")).group())


def step(tab, url, slug, button):
    practice = Practice.objects.get(slug=slug)
    tab.goto(f"{url}/admin/practices/practice/{practice.pk}/workflow/")
    tab.page.click(f"button:has-text('{button}')")
    tab.page.wait_for_selector(".messagelist .success")


def editor_drafts_and_submits(editor, url, model):
    editor.goto(url + "/admin/practices/practice/add/")
    editor.page.type("#id_title", "Child-friendly interveiw")  # a typo, fixed while typing on
    editor.page.fill("#id_title", "")
    editor.page.type("#id_title", TITLE)
    assert editor.page.input_value("#id_slug") == SLUG  # the slug follows the title as it is typed
    fill_practice(editor.page, model)
    editor.page.click("input[name=_save]")
    editor.page.wait_for_selector(".messagelist .success")
    assert Practice.objects.get(slug=SLUG).status == Status.DRAFT
    step(editor, url, SLUG, "Submit for review")
    assert Practice.objects.get(slug=SLUG).status == Status.IN_REVIEW


def reviewer_publishes(reviewer, url):
    reviewer.goto(url + "/admin/review-queue/")
    reviewer.page.click(f"text={TITLE}")
    reviewer.page.click("text=Workflow: In review")
    reviewer.page.click("button:has-text('Publish')")
    reviewer.page.wait_for_selector(".messagelist .success")
    assert Practice.objects.get(slug=SLUG).status == Status.PUBLISHED


def correction_is_closed_with_its_note(reader, reviewer, url):
    reader.goto(f"{url}/report/practice/{SLUG}/")
    reader.page.fill("#id_message", "The rooms opened in 2013, not 2012.")
    reader.page.locator("form:has(#id_message) [type=submit]").click()
    reader.page.wait_for_url(re.compile(r".*/thanks/$"))
    report = CorrectionReport.objects.get(message__startswith="The rooms opened")
    reviewer.goto(f"{url}/admin/curation/correctionreport/{report.pk}/change/")
    reviewer.page.fill("#id_resolution", "Year corrected to 2013; thanked the reader.")
    reviewer.page.click("input[name=_save]")
    reviewer.page.wait_for_selector(".messagelist .success")
    report.refresh_from_db()
    assert not report.is_open and report.resolution == "Year corrected to 2013; thanked the reader."


def suggestion_becomes_a_draft(reader, reviewer, url, model):
    reader.goto(url + "/suggest/")
    reader.page.fill("#id_title", "Safe spaces in bus stations")
    reader.page.fill("#id_description", "Trained staff in bus stations who help children travelling alone.")
    reader.page.fill("#id_organisation", "Association Example")
    reader.page.fill("#id_countries", "Morocco")
    reader.page.fill("#id_contact_name", "Amina")
    reader.page.fill("#id_contact_email", "amina@example.org")
    reader.page.select_option("#id_contact_role", "ngo")
    reader.page.locator("form:has(#id_contact_role) [type=submit]").click()
    reader.page.wait_for_url(re.compile(r".*/thanks/$"))
    suggestion = Suggestion.objects.get(title="Safe spaces in bus stations")
    reviewer.goto(f"{url}/admin/curation/suggestion/{suggestion.pk}/change/")
    reviewer.page.click("text=Draft a practice from this suggestion")
    assert reviewer.page.input_value("#id_slug") == "safe-spaces-in-bus-stations"
    fill_practice(reviewer.page, model)
    reviewer.page.click("input[name=_save]")
    reviewer.page.wait_for_selector(".messagelist .success")
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.DRAFTED and suggestion.practice.status == Status.DRAFT


def semicolon_csv_imports(reviewer, url, path):
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=HEADER, delimiter=";")
        writer.writeheader()
        writer.writerow(practice_row("imported-with-semicolons", title="Imported with semicolons"))
    reviewer.goto(url + "/admin/practices/practice/import/")
    reviewer.page.set_input_files("#id_file", str(path))
    reviewer.page.click("input[value=Preview]")
    assert "separated by semicolons" in reviewer.page.inner_text("#import-detected")
    reviewer.page.click("input[name=confirm]")
    reviewer.page.wait_for_selector(".messagelist .success")
    assert Practice.objects.filter(slug="imported-with-semicolons").exists()


def test_the_curators_day(browser, live_server, kb_content, django_db_blocker, tmp_path):
    url = live_server.url
    with (
        django_db_blocker.unblock(),
        modify_settings(ALLOWED_HOSTS={"append": "localhost"}),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        ensure_curation_roles()
        curator("day-editor", EDITOR)
        curator("day-reviewer", REVIEWER)
        model = Practice.objects.filter(status=Status.PUBLISHED).order_by("slug").first()
        pillar = model.pillars.order_by("slug").first().slug
        reader = Tab(browser, DESKTOP)
        before = result_count(reader, url + "/practices/"), result_count(reader, f"{url}/practices/?pillar={pillar}")
        assert reader.goto(f"{url}/practices/{SLUG}/").status == 404

        editor = log_in(browser, url, "day-editor")
        editor_drafts_and_submits(editor, url, model)
        reviewer = log_in(browser, url, "day-reviewer")
        reviewer_publishes(reviewer, url)

        assert reader.goto(f"{url}/practices/{SLUG}/").status == 200
        after = result_count(reader, url + "/practices/"), result_count(reader, f"{url}/practices/?pillar={pillar}")
        assert after == (before[0] + 1, before[1] + 1)

        correction_is_closed_with_its_note(reader, reviewer, url)
        suggestion_becomes_a_draft(reader, reviewer, url, model)
        semicolon_csv_imports(reviewer, url, tmp_path / "fr.csv")
        for tab in (reader, editor, reviewer):
            tab.close()
