"""One headless Chromium for the browser tests (Debian's /usr/bin/chromium, driven by Playwright).

Without Chromium or Playwright the browser tests skip with the reason; under CI (CI=true) they fail
instead, so a CI run can never pass without having driven a real browser.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connections

from curation.roles import ADMIN_APPS, ROLE_PERMISSIONS

CHROMIUM = "/usr/bin/chromium"
# Chromium otherwise keeps trying to reach Google services through the closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "browser"

# Recorded before any script of the page runs, so every CSP violation is seen even if the console
# message format changes.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline"));
});
"""


FOCUS_RING = r"""(() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  if (element === document.body || element === document.documentElement) return {element: "body"};
  const text = (element.textContent.trim() || element.value || element.name || "").replace(/\s+/g, " ").slice(0, 30);
  return {
    element: element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + (text ? " " + text : ""),
    // "auto" is the browser's own focus ring (the admin keeps it); ours must be at least 2 px.
    visible: style.outlineStyle === "auto"
      || (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
          && !["transparent", "rgba(0, 0, 0, 0)"].includes(style.outlineColor)),
    outline: style.outline,
  };
})()"""


def elements_without_focus_ring(page, stops=30):
    """Tab through up to `stops` focusable elements (from the autofocused one, if any, round to it
    again); describe each one whose focus is not shown by an outline."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    seen, invisible = set(), []
    for _ in range(stops):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring["element"] == "body":
            continue  # focus left the page for the browser's own controls; the next Tab comes back
        if ring["element"] in seen:
            break  # wrapped around
        seen.add(ring["element"])
        if not ring["visible"]:
            invisible.append(f"{ring['element']} (outline: {ring['outline']})")
    if len(seen) < 3:
        invisible.append(f"Tab reached only {sorted(seen)}")
    return invisible


def _unavailable(reason):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(f"{reason} (under CI=true this fails)")


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """One Chromium for all the browser tests (they run one after the other, as one package).

    Package-scoped, not session-scoped: Playwright's sync API marks an asyncio loop as running in
    this thread while the browser is up, so Django takes every ORM call here (loading content,
    counting rows, flushing after a live-server test) for one from async code and refuses it unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. That variable must not outlive the browser tests: subprocesses
    started by other tests inherit it (and `check --deploy` rightly rejects it).
    """
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is missing; run .ci/install-chromium as root (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed; pip install -e '.[test]'")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)  # emptied once per run (tests/conftest.py)
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Tab:
    """A page in its own browser context that records console errors, uncaught exceptions and CSP
    violations since the last `goto`."""

    def __init__(self, browser, viewport):
        self.context = browser.new_context(viewport=viewport)
        self.context.add_init_script(RECORD_CSP_VIOLATIONS)
        self.page = self.context.new_page()
        self.console_errors = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.text} [{message.location.get('url', '')}]")

    def goto(self, url):
        self.console_errors = []
        return self.page.goto(url, wait_until="load")

    def screenshot(self, path, **options):
        """A screenshot for test-artifacts/ (evidence, not an assertion). Chromium now and then
        answers "Unable to capture screenshot" under load: one more try after a pause."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            self.page.screenshot(path=path, **options)
        except PlaywrightError:
            self.page.wait_for_timeout(500)
            self.page.screenshot(path=path, **options)

    def problems(self):
        csp = self.page.evaluate("window.__cspViolations || []")
        return self.console_errors + [f"CSP: {violation}" for violation in csp]

    def close(self):
        self.context.close()


@pytest.fixture
def desktop(browser):
    tab = Tab(browser, DESKTOP)
    yield tab
    tab.close()


def ensure_curation_roles():
    """The Editor, Reviewer and Admin groups (a data migration creates them; a live-server test's
    flush empties the tables, and only permissions are recreated after it)."""
    for name, pairs in ROLE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=name)
        if not created:
            continue
        if pairs is None:
            permissions = Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
        else:
            permissions = [Permission.objects.get(content_type__app_label=a, codename=c) for a, c in pairs]
        group.permissions.set(permissions)


def live_server_for_a_crawl(request):
    """The live server for a module-scoped crawl whose tests only judge what it recorded.

    Asked for at run time (not as a parameter) so that the judging tests do not become live-server
    tests: pytest-django makes every test whose fixtures include ``live_server`` transactional and
    flushes the database after it, which on PostgreSQL costs seconds per test. The crawl flushes the
    database once when the module is done (``flush_database``), leaving what a live-server test leaves.
    """
    return request.getfixturevalue("live_server")


def flush_database():
    """Empty every table, as pytest-django does after a transactional (live-server) test."""
    for alias in connections:
        if not connections[alias].settings_dict.get("TEST", {}).get("MIRROR"):
            call_command("flush", verbosity=0, interactive=False, database=alias)
