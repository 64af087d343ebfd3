"""`make prod-smoke`: the production stack, natively, crawled once.

Runs what the container runs - DJANGO_ENV=production settings, collectstatic, gunicorn with
gunicorn.conf.py - against PostgreSQL and Redis on this machine, then:

1. crawls every public URL once: robots.txt, every page in the sitemap, the list pages, every page
   of every API list (following ``next``), the feed, the exports, the API schema and docs, the
   probes, and the static files the pages use. Any 5xx, any non-200 page, or any missing
   security header (Content-Security-Policy, Strict-Transport-Security, X-Content-Type-Options,
   Referrer-Policy, X-Request-ID) is a failure. Requests carry ``X-Forwarded-Proto: https`` from
   127.0.0.1, as the TLS-terminating proxy in front of gunicorn would, so HTTPS is assumed and HSTS
   must be sent;
2. checks that /readyz turns 503 naming the database while the database is unreachable, and 200
   when it is back. The application reaches PostgreSQL through a small TCP relay in this script;
   "the database is down" means the relay refuses new connections and cuts the open ones, which is
   what the application sees when PostgreSQL stops (connection refused, persistent connections
   broken). The shared PostgreSQL cluster is not stopped: other databases on it stay up. With
   SMOKE_STOP_POSTGRES=1 (as root, on a machine of its own) the cluster itself is stopped with
   pg_ctlcluster and started again instead.

Prints the number of URLs crawled and of failures; exits 1 on any failure.
Environment: SMOKE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lanzarote_kb_smoke, created
if missing), SMOKE_REDIS_URL (default redis://127.0.0.1:6379/15).
"""

import concurrent.futures
import contextlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
SECURITY_HEADERS = ["Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy"]
API_LISTS = ["/api/practices/", "/api/findings/", "/api/sessions/", "/api/articles/"]
EXTRA_PAGES = [
    "/robots.txt",
    "/sitemap.xml",
    "/healthz",
    "/readyz",
    "/api/",
    "/api/schema/",
    "/api/docs/",
    "/feeds/practices.atom",
    "/practices/export.csv",
    "/practices/export.json",
    "/practices/export.xlsx",
    "/findings/export.csv",
    "/findings/export.json",
    "/findings/export.xlsx",
    "/suggest/",
]
LIST_PAGES = ["/", "/practices/", "/findings/", "/articles/", "/gap-map/"]


def log(message):
    print(f"prod-smoke: {message}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Relay:
    """A TCP relay 127.0.0.1:<port> -> PostgreSQL that can be taken down and brought back."""

    def __init__(self, upstream_host, upstream_port):
        self.upstream = (upstream_host, upstream_port)
        self.port = free_port()
        self.listener = None
        self.open_sockets = set()
        self.lock = threading.Lock()

    def start(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        threading.Thread(target=self.accept, args=(self.listener,), daemon=True).start()

    def stop(self):
        """Refuse new connections and cut the open ones, as a stopped server does."""
        self.listener.close()
        with self.lock:
            for sock in self.open_sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.open_sockets.clear()

    def accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.open_sockets |= {client, server}
            threading.Thread(target=self.pipe, args=(client, server), daemon=True).start()
            threading.Thread(target=self.pipe, args=(server, client), daemon=True).start()

    def pipe(self, source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "link" and attrs.get("rel") == "stylesheet" or tag == "script" and attrs.get("src"):
            self.links.append(attrs.get("href") or attrs.get("src"))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(base, path, timeout=30):
    request = urllib.request.Request(
        base + path, headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1", "User-Agent": "prod-smoke"}
    )
    started = time.perf_counter()
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read(), time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read(), time.perf_counter() - started


def problems_with(path, status, headers):
    problems = []
    if status != 200:
        problems.append(f"status {status}")
    expected = SECURITY_HEADERS + ["X-Request-ID"]
    if path.startswith("/static/"):
        expected = ["X-Content-Type-Options", "Strict-Transport-Security", "Referrer-Policy"]
    problems += [f"missing {name}" for name in expected if not headers.get(name)]
    return problems


def same_site_path(href, base):
    parsed = urllib.parse.urlsplit(urllib.parse.urljoin(base + "/", href))
    if parsed.netloc and parsed.netloc not in {urllib.parse.urlsplit(base).netloc, "127.0.0.1"}:
        return None
    if parsed.scheme not in {"http", "https", ""} or not parsed.path.startswith("/"):
        return None
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


class Crawl:
    def __init__(self, base):
        self.base = base
        self.seen = set()
        self.failures = []
        self.slowest = (0.0, "")

    def visit_all(self, paths):
        paths = [path for path in dict.fromkeys(paths) if path not in self.seen]
        self.seen.update(paths)
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            return dict(zip(paths, pool.map(self.visit, paths), strict=True))

    def visit(self, path):
        status, headers, body, seconds = fetch(self.base, path)
        self.slowest = max(self.slowest, (seconds, path))
        for problem in problems_with(path, status, headers):
            self.failures.append(f"{path}: {problem}")
        return status, headers, body

    def run(self):
        pages = self.visit_all(EXTRA_PAGES + LIST_PAGES)
        sitemap = pages["/sitemap.xml"][2].decode()
        in_sitemap = [urllib.parse.urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
        if len(in_sitemap) < 20:
            self.failures.append(f"/sitemap.xml lists only {len(in_sitemap)} pages")
        self.visit_all(in_sitemap)
        # The static files the pages use (hashed names from the manifest: a missing one is a 500 in production).
        parser = Links()
        parser.feed(pages["/"][2].decode())
        self.visit_all([p for href in parser.links if (p := same_site_path(href, self.base)) and "/static/" in p])
        self.crawl_api()

    def crawl_api(self):
        queue = list(API_LISTS)
        while queue:
            results = self.visit_all(queue)
            queue = []
            for status, _, body in results.values():
                if status == 200 and (following := json.loads(body).get("next")):
                    queue.append(same_site_path(following, self.base))


def wait_for(base, path, expected, seconds=30):
    deadline = time.monotonic() + seconds
    status, body = None, b""
    while time.monotonic() < deadline:
        try:
            status, _, body, _ = fetch(base, path, timeout=10)
            if status == expected:
                return status, body
        except OSError:
            pass
        time.sleep(0.3)
    return status, body


def ensure_database(url):
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    code = (
        "import psycopg, sys; c = psycopg.connect(sys.argv[1], autocommit=True); "
        "c.execute('SELECT 1 FROM pg_database WHERE datname = %s', (sys.argv[2],)).fetchone() "
        "or c.execute('CREATE DATABASE \"' + sys.argv[2] + '\"')"
    )
    subprocess.run([PYTHON, "-c", code, admin_url, name], check=True)


def redis_answers(url):
    parsed = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=3) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def cache_backend(env):
    """The cache the production settings configure (Redis once REDIS_URL is read; said, not assumed)."""
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def postgres_cluster():
    version = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(x) for x in v.split(".")])[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def production_environment(database_url, redis_url, static_root):
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_hex(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": os.devnull,
        "WEB_CONCURRENCY": os.environ.get("SMOKE_WORKERS", "2"),
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "DB_CONNECT_TIMEOUT": "3",
    }


def check_readiness_follows_the_database(base, take_down, bring_back):
    """[] if /readyz is 200, then 503 naming the database while it is down, then 200 again."""
    failures = []
    status, _ = wait_for(base, "/readyz", 200, seconds=10)
    if status != 200:
        failures.append(f"/readyz before: {status}")
    take_down()
    status, body = wait_for(base, "/readyz", 503, seconds=30)
    failing = json.loads(body).get("failing") if status == 503 else None
    log(f"database down: /readyz {status} {failing}")
    if status != 503 or failing != ["database"]:
        failures.append(f"/readyz with the database down: {status} {body[:200]!r}")
    if (healthz := wait_for(base, "/healthz", 200, seconds=5)[0]) != 200:
        failures.append(f"/healthz with the database down: {healthz}")
    bring_back()
    status, _ = wait_for(base, "/readyz", 200, seconds=60)
    log(f"database back: /readyz {status}")
    if status != 200:
        failures.append(f"/readyz after the database came back: {status}")
    return failures


def outage(relay):
    """How the database goes away: the relay (default) or, if asked, the whole PostgreSQL cluster."""
    if os.environ.get("SMOKE_STOP_POSTGRES") == "1":
        cluster = postgres_cluster()
        log("stopping the PostgreSQL cluster (SMOKE_STOP_POSTGRES=1)")
        return (
            lambda: subprocess.run([*cluster, "stop"], check=True),
            lambda: subprocess.run([*cluster, "start"], check=True),
        )
    return relay.stop, relay.start


def main():
    started = time.monotonic()
    database_url = os.environ.get("SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lanzarote_kb_smoke")
    redis_url = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not redis_answers(redis_url):
        log(f"Redis does not answer at {redis_url}")
        return 1
    ensure_database(database_url)
    parsed = urllib.parse.urlsplit(database_url)
    relay = Relay(parsed.hostname, parsed.port or 5432)
    relay.start()
    relayed_url = database_url.replace(parsed.netloc, f"{parsed.netloc.rsplit('@', 1)[0]}@127.0.0.1:{relay.port}")
    if os.environ.get("SMOKE_STOP_POSTGRES") == "1":
        relayed_url = database_url
    with tempfile.TemporaryDirectory(prefix="kb-prod-smoke-") as static_root:
        env = production_environment(relayed_url, redis_url, static_root)
        # collectstatic (hashing and compressing) runs while the database is migrated and loaded.
        collectstatic = subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
        )
        for command in (["migrate", "--noinput"], ["load_kb"]):
            step = time.monotonic()
            manage(env, *command)
            log(f"{command[0]}: {time.monotonic() - step:.1f} s")
        log(f"cache backend: {cache_backend(env)}")
        if collectstatic.wait() != 0:
            log("collectstatic failed")
            return 1
        log(f"stack ready (migrate, load_kb, collectstatic) after {time.monotonic() - started:.1f} s")
        port = free_port()
        env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
        server_log = Path(static_root) / "gunicorn.log"
        with server_log.open("w") as output:
            server = subprocess.Popen(
                [GUNICORN, "--config", "gunicorn.conf.py", "config.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=output,
            )
            try:
                status = smoke(f"http://127.0.0.1:{port}", relay, started)
            finally:
                server.terminate()
                server.wait(timeout=30)
        if status:
            log("gunicorn's log (errors only):")
            errors = [line for line in server_log.read_text().splitlines() if '"level": "ERROR"' in line]
            print("\n".join(errors[-30:]))
        return status


def smoke(base, relay, started):
    if wait_for(base, "/healthz", 200, seconds=30)[0] != 200:
        log("gunicorn did not answer /healthz")
        return 1
    crawl_started = time.monotonic()
    crawl = Crawl(base)
    crawl.run()
    crawled = time.monotonic() - crawl_started
    log(f"crawled {len(crawl.seen)} URLs in {crawled:.1f} s (slowest {crawl.slowest[0]:.2f} s: {crawl.slowest[1]})")
    failures = crawl.failures + check_readiness_follows_the_database(base, *outage(relay))
    for failure in failures:
        log(f"FAIL {failure}")
    log(f"{len(crawl.seen)} URLs crawled, {len(failures)} failures, {time.monotonic() - started:.1f} s in all")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
