"""The project's own deployment checks (``manage.py check --deploy``, ``make check-deploy``)."""

from django.conf import settings
from django.core.checks import Warning

# Cache backends whose contents live in one process: no other worker, and no management command,
# sees what is stored there.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def shared_cache(app_configs, **kwargs):
    """Production needs a cache every process shares. The content version lives there
    (common/versioning.py): with a cache per process, a publish in one worker, or an import run
    from the command line, leaves the other workers serving their old facet index and cached pages;
    rate limits, API throttles and login lockouts would also count per worker."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            f"The cache is private to each process ({backend.rsplit('.', 1)[-1]}): a publish or an "
            "import is not seen by the other workers, and rate limits and lockouts count per worker.",
            hint="Set REDIS_URL to a Redis server every worker and management command can reach "
            "(e.g. redis://127.0.0.1:6379/0).",
            id="kb.W001",
        )
    ]
