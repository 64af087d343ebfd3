"""The curators' admin pages in a real Chromium (issue 13): axe-core finds no WCAG 2.1 A/AA violation,
and the console stays free of errors and CSP violations, on every page of the curator's day.

One module-scoped crawl logs in as an Admin curator, visits each page (and uploads a file for the
import preview), and records what it saw; the tests then judge each page."""

import csv
import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import modify_settings, override_settings

from curation.models import CorrectionReport, Suggestion
from curation.roles import ADMIN
from practices.models import Practice, Status
from tests.browser.conftest import (
    ARTIFACTS,
    DESKTOP,
    Tab,
    ensure_curation_roles,
    flush_database,
    live_server_for_a_crawl,
)
from tests.browser.test_pages import WCAG_AA, describe
from tests.content.import_files import HEADER, practice_row
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"
ADMIN_PAGES = [
    "login",
    "index",
    "practice-list",
    "finding-list",
    "practice-add",
    "practice-change",
    "practice-workflow",
    "practice-history",
    "practice-revert",
    "review-queue",
    "import-upload",
    "import-preview",
    "suggestion-list",
    "suggestion-change",
    "correction-list",
    "correction-change",
    "user-change",
    "api",
]


def semicolon_csv(slug):
    """A practice as Excel in French or Italian settings saves it: semicolons, UTF-8 with a BOM."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, delimiter=";")
    writer.writeheader()
    writer.writerow(practice_row(slug))
    return out.getvalue()


def admin_fixtures():
    """A curator, a practice in review with a history, a suggestion and a correction report."""
    ensure_curation_roles()
    user = UserFactory(username="curator-admin", is_staff=True)
    user.groups.add(Group.objects.get(name=ADMIN))
    practice = Practice.objects.filter(status=Status.PUBLISHED).order_by("slug").first()
    practice.title = practice.title + " (revised)"
    practice.status = Status.IN_REVIEW
    practice._history_user = user
    practice.save()
    suggestion = Suggestion.objects.create(
        title="Safe spaces in bus stations",
        description="Trained staff in bus stations who spot and help children travelling alone.",
        organisation="Association Example",
        countries="Morocco",
        contact_name="Amina",
        contact_email="amina@example.org",
        contact_role="ngo",
    )
    report = CorrectionReport.objects.create(
        content_type=ContentType.objects.get_for_model(practice), object_id=practice.pk, message="Wrong year."
    )
    return user, practice, suggestion, report


def paths(user, practice, suggestion, report):
    base = f"/admin/practices/practice/{practice.pk}"
    version = practice.history.order_by("history_date").first().pk
    return {
        "index": "/admin/",
        "practice-list": "/admin/practices/practice/",
        "finding-list": "/admin/practices/finding/",
        "practice-add": "/admin/practices/practice/add/",
        "practice-change": f"{base}/change/",
        "practice-workflow": f"{base}/workflow/",
        "practice-history": f"{base}/history/",
        "practice-revert": f"{base}/history/{version}/",
        "review-queue": "/admin/review-queue/",
        "import-upload": "/admin/practices/practice/import/",
        "suggestion-list": "/admin/curation/suggestion/",
        "suggestion-change": f"/admin/curation/suggestion/{suggestion.pk}/change/",
        "correction-list": "/admin/curation/correctionreport/",
        "correction-change": f"/admin/curation/correctionreport/{report.pk}/change/",
        "user-change": f"/admin/auth/user/{user.pk}/change/",
        "api": "/api/",
    }


def look(tab, axe, name):
    """The page's console and CSP problems, then axe's violations (axe-core itself adds a <style>
    element while it reads some stylesheets, which the CSP refuses: not the page's doing)."""
    tab.screenshot(ARTIFACTS / f"admin-{name}-1280.png", full_page=True)
    problems = tab.problems()
    return {
        "problems": problems,
        "violations": [describe(v) for v in axe.run(tab.page, options=WCAG_AA).response["violations"]],
    }


def log_in(tab, url):
    tab.page.fill("#id_username", "curator-admin")
    tab.page.fill("#id_password", PASSWORD)
    tab.page.click("input[type=submit]")
    tab.page.wait_for_url(url + "/admin/")


def preview_import(tab, url, tmp_path):
    tab.goto(url + "/admin/practices/practice/import/")
    upload = tmp_path / "semicolons.csv"
    upload.write_text(semicolon_csv("browser-imported"), encoding="utf-8-sig")
    tab.page.set_input_files("#id_file", str(upload))
    tab.page.click("input[value=Preview]")
    tab.page.wait_for_selector("#import-preview, #import-problems", timeout=10000)


@pytest.fixture(scope="module")
def admin_crawl(browser, request, django_db_setup, django_db_blocker, tmp_path_factory):
    live_server = live_server_for_a_crawl(request)
    axe = Axe()
    seen = {}
    tab = Tab(browser, DESKTOP)
    url = live_server.url
    with (
        django_db_blocker.unblock(),
        modify_settings(ALLOWED_HOSTS={"append": "localhost"}),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        call_command("load_kb", verbosity=0)
        user, practice, suggestion, report = admin_fixtures()
        tab.goto(url + "/admin/login/")
        seen["login"] = look(tab, axe, "login")
        log_in(tab, url)
        for name, path in paths(user, practice, suggestion, report).items():
            response = tab.goto(url + path)
            seen[name] = {"status": response.status, **look(tab, axe, name)}
        preview_import(tab, url, tmp_path_factory.mktemp("import"))
        seen["import-preview"] = look(tab, axe, "import-preview")
    tab.close()
    yield seen
    with django_db_blocker.unblock():
        flush_database()  # the curator, the practice in review, the suggestion, the report


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_page_has_no_axe_violations(admin_crawl, name):
    result = admin_crawl[name]
    assert result.get("status", 200) == 200
    assert result["violations"] == [], "\n".join(result["violations"])


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_page_has_no_console_errors_or_csp_violations(admin_crawl, name):
    assert admin_crawl[name]["problems"] == [], "\n".join(admin_crawl[name]["problems"])
