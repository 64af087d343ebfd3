"""gunicorn settings for production: ``gunicorn config.wsgi`` reads this file from the working directory.

Every value can be overridden from the environment (the README's "Deploying" table lists them), so
the same file serves the container, the native ``make prod-smoke`` stack and a plain VM.
"""

import gc
import multiprocessing
import os

# Listen on every interface inside a container; PORT/GUNICORN_BIND choose where.
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")

# Sync workers: the site is CPU- and database-bound with short requests. The usual (2 x cores) + 1,
# capped so a large host does not open more database connections than PostgreSQL allows.
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 12)))
worker_class = "sync"
# A request taking longer than this is killed and logged (the slowest page, a full export, takes ~1 s).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak cannot grow without bound; jitter avoids all at once.
# Not often, and spread out: a new worker builds its indexes (post_worker_init below) for about two
# seconds at 100,000 entries before it serves, and workers restarting together would leave nobody
# to answer (at 2,000 requests, wrk's 30-second runs timed out on every connection).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 2
# Heartbeat files in memory, not on a container's overlay filesystem (gunicorn's advice for Docker).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Which proxies may set X-Forwarded-Proto/For (comma-separated addresses, or * behind a trusted
# load balancer only). Django's SECURE_PROXY_SSL_HEADER relies on this to know a request was HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs to stdout/stderr for the container runtime to collect. Each access line carries the request id
# the application sends back as X-Request-ID (the same id as in its JSON log lines) and the duration.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s duration_ms=%(M)s request_id=%({x-request-id}o)s user_agent="%(a)s"'


def post_worker_init(worker):
    """Build the facet and label indexes before the worker accepts a connection (config/warmup.py),
    then move them out of the garbage collector's reach (below)."""
    from config.warmup import warm_worker

    warm_worker()
    gc.collect()
    gc.freeze()


# Python's cyclic garbage collector walks every live object on a full collection: with the
# templates, URL patterns, facet index and label index loaded, that is a pause of about 100 ms on a
# later, unrelated request (at 100,000 entries, p95 of light pages doubled). Once a worker has served
# its first requests (which load all of those), what is alive then lives as long as the worker: it is
# moved out of the collector's reach (gc.freeze). Reference counting still frees it.
FREEZE_AFTER_REQUESTS = (1, 20)


def post_request(worker, req, environ, resp):
    worker.kb_requests_served = getattr(worker, "kb_requests_served", 0) + 1
    if worker.kb_requests_served in FREEZE_AFTER_REQUESTS:
        gc.collect()
        gc.freeze()
