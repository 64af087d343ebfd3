"""``/healthz`` and ``/readyz`` for load balancers, orchestrators and the container's HEALTHCHECK.

* ``/healthz``: the process is up and answering; touches nothing else (cheap, for liveness).
* ``/readyz``: the site can serve pages: the database answers, the cache stores and returns a value,
  and every migration is applied. Any failure gives 503 with the failing check named.

They are answered by a middleware placed before Django's host validation, HTTPS redirect and
sessions: a probe calls ``http://localhost:8000/readyz`` inside the container, which is neither an
allowed host nor HTTPS, and must still get an honest answer.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

# Once every migration has been seen applied, this process does not look again: code and its
# migrations change only with a restart.
_migrations_seen_applied = False


def check_database():
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # A broken persistent connection must not be reused by the next request.
        connection.close()
        raise


def check_cache():
    key, value = "kb:readyz", uuid.uuid4().hex
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return the value just stored")


def check_migrations():
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise RuntimeError(f"{len(pending)} migration(s) not applied")
    _migrations_seen_applied = True


CHECKS = {"database": check_database, "cache": check_cache, "migrations": check_migrations}


def no_store(response):
    """Never cached, and the security headers SecurityMiddleware and django-csp would have added
    (probes are answered before them; see the module docstring)."""
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY
    if settings.SECURE_HSTS_SECONDS:
        response["Strict-Transport-Security"] = f"max-age={settings.SECURE_HSTS_SECONDS}; includeSubDomains"
    return response


def healthz(request):
    return no_store(JsonResponse({"status": "ok"}))


def readyz(request):
    results, failing = {}, []
    for name, check in CHECKS.items():
        if name == "migrations" and "database" in failing:
            results[name] = "skipped: database unavailable"
            continue
        try:
            check()
        except Exception as error:  # any failure means "not ready"; the class name says which kind
            results[name] = f"failed: {type(error).__name__}"
            failing.append(name)
        else:
            results[name] = "ok"
    body = {"status": "unavailable" if failing else "ok", "failing": failing, "checks": results}
    return no_store(JsonResponse(body, status=503 if failing else 200))


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path)
        if probe is not None and request.method in {"GET", "HEAD"}:
            return probe(request)
        return self.get_response(request)
