import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
BROWSER_ARTIFACTS = BROWSER_TESTS.parent.parent / "test-artifacts" / "browser"  # tests.browser.conftest.ARTIFACTS


def pytest_configure(config):
    """In the main process only:

    - pytest-xdist hands out files in collection order (no --loadscope-reorder, which would put the
      files with most tests first): pytest-django orders the tests so that ordinary database tests
      run before the transactional ones that flush the database, and a worker must not receive an
      ordinary test file after it has run a transactional one;
    - empty test-artifacts/browser/ once per run that may include the browser tests: the workers
      share the folder and each adds its screenshots."""
    if hasattr(config, "workerinput"):
        return
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False
    for arg in config.args:
        path = Path(config.invocation_params.dir, arg.split("::")[0]).resolve()
        if path == BROWSER_TESTS or path in BROWSER_TESTS.parents or BROWSER_TESTS in path.parents:
            shutil.rmtree(BROWSER_ARTIFACTS, ignore_errors=True)
            return


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the shipped content loaded once; tests roll back their own
    changes. The load itself is not recorded in the change history (it would take most of the setup
    time); tests that look at history make their own changes."""
    with django_db_blocker.unblock(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command("load_kb", verbosity=0)


@pytest.fixture
def kb_content(django_db_blocker):
    """For transactional tests (live server, browser): the content again after a flush."""
    with django_db_blocker.unblock():
        call_command("load_kb", verbosity=0)


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request to a French page leaves French active in the thread (LocaleMiddleware does not
    reset it); every test starts and ends in the default language."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_facet_index_and_cache():
    """The facet index is kept per content version; a test's rolled-back rows must not outlive it,
    and a test starts with an empty cache (no throttle, page or version left by another)."""
    from django.core.cache import cache

    from practices.facet_index import FacetIndex

    cache.clear()
    FacetIndex.forget()
    yield
    FacetIndex.forget()


@pytest.fixture
def warm_facet_index(db):
    """Builds the facet indexes (and all else kept per process) now, as a worker does before its
    first request, so that a test counting a page's queries counts the page's own: they are
    built once per content version, not per request (the index's own queries are
    counted in tests/practices/test_facet_index.py). Call it again after changing content."""
    from config.warmup import warm_caches

    warm_caches()
    return warm_caches


QUERY_COUNTING = {"django_assert_num_queries", "django_assert_max_num_queries"}


@pytest.fixture(autouse=True)
def _warm_facet_index_for_query_counts(request):
    """Tests that count a page's queries count the page's own, on a warm facet index (a test that
    changes content before counting calls ``warm_facet_index()`` again)."""
    if QUERY_COUNTING & set(request.fixturenames) and request.node.get_closest_marker("django_db"):
        request.getfixturevalue("warm_facet_index")
