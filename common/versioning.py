"""The content version: a token every change of public content replaces (publishing, archiving,
editing an entry, an import, a vocabulary or conference-record edit), so caches keyed by it never
serve stale content and need no invalidation. Kept in the Django cache (Redis when configured,
so every app server sees the same version; local memory otherwise)."""

import hashlib
import threading
import time

from django.core.cache import cache
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.http import http_date

VERSION_KEY = "kb:content-version"
# The apps whose models are public content.
CONTENT_APPS = {"practices", "taxonomy", "kb"}


def content_version() -> str:
    """The current version: the time of the last change (seconds, as text)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = f"{time.time():.6f}"
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version(**kwargs) -> str:
    version = f"{time.time():.6f}"
    cache.set(VERSION_KEY, version, timeout=None)
    return version


def last_modified() -> str:
    return http_date(int(float(content_version())))


def cache_key(*parts) -> str:
    """A cache key for ``parts`` (e.g. a filter state) under the current content version."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:32]
    return f"kb:{content_version()}:{digest}"


def on_content_change(sender, **kwargs):
    model = getattr(sender, "_meta", None)
    if model is not None and model.app_label in CONTENT_APPS:
        bump_content_version()
        # Again once the change is committed: a request that read the database between the first
        # bump and the commit may have cached (or indexed) the old content under the new version.
        transaction.on_commit(bump_content_version, using=kwargs.get("using"))


def connect():
    """Bump the version on every save, delete and many-to-many change of content models (an
    import through the Writer saves, so it bumps too; bulk loaders call bump_content_version)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(on_content_change, dispatch_uid=f"kb-content-version-{signal!r}")


_KEPT: dict = {}
_KEPT_LOCK = threading.RLock()  # re-entrant: a build may use what is kept (options from terms)


def in_transaction(using) -> bool:
    """Whether the connection is inside an atomic block of the code's own (the block a test case
    wraps every test in does not count)."""
    return any(not getattr(block, "_from_testcase", False) for block in connections[using].atomic_blocks)


def kept_under_version(key, build, using="default"):
    """``build()``, made once per process and content version and kept for the requests that
    follow (the facet index, the search's label index): anything that changes content bumps the
    version, and the next request builds afresh. What is read inside a transaction of the code's
    own (an admin save, an import preview rolled back at the end) may never be committed: it
    serves that use only, never kept."""
    version = content_version()
    if in_transaction(using):
        return build()
    kept = _KEPT.get(key)
    if kept is None or kept[0] != version:
        with _KEPT_LOCK:
            kept = _KEPT.get(key)
            if kept is None or kept[0] != version:
                kept = _KEPT[key] = (version, build())
    return kept[1]


def forget_kept():
    """Drop everything kept in this process (tests whose database rolls back under one version)."""
    _KEPT.clear()
