"""What is kept per process under the content version (common/versioning.py)."""

import threading

import pytest

from common.versioning import bump_content_version, forget_kept, kept_under_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept():
    forget_kept()
    yield
    forget_kept()


def test_a_value_is_built_once_per_version():
    builds = []
    assert kept_under_version("test-value", lambda: builds.append(1) or len(builds)) == 1
    assert kept_under_version("test-value", lambda: builds.append(1) or len(builds)) == 1
    bump_content_version()
    assert kept_under_version("test-value", lambda: builds.append(1) or len(builds)) == 2


def test_a_build_may_use_another_kept_value():
    """A facet's options are built from its kept terms: building inside a build must not wait on itself."""
    outcome = []

    def options():
        return [term.upper() for term in kept_under_version("test-terms", lambda: ["a", "b"])]

    worker = threading.Thread(target=lambda: outcome.append(kept_under_version("test-options", options)))
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive() and outcome == [["A", "B"]]
