"""The benchmark of issue 11: N synthetic published practices (and 3N findings) served by gunicorn,
each page of the issue's table timed over HTTP (median and p95 of interleaved requests), queries per
page counted in-process, the browse page's gzip size; ``--peers`` adds the Django admin changelist
with facets on the same filters. Writes JSON so two runs can be compared (``--compare``).

It only runs against a dedicated database (its name contains "bench") unless
``--allow-any-database`` is given: it adds thousands of entries and never removes them.
"""

import gzip
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle

from common.versioning import bump_content_version
from kb.models import Section, Session
from practices.models import Finding, Practice, Status
from taxonomy.models import ConventionArticle, Country, Pillar, Region, TargetGroup, Theme

SLUG_PREFIX = "bench-"
# (relation, vocabulary, fewest, most) per entry, as in the issue.
DISTRIBUTION = [
    ("pillars", Pillar, 1, 3),
    ("regions", Region, 1, 2),
    ("countries", Country, 0, 3),
    ("themes", Theme, 1, 4),
    ("articles", ConventionArticle, 1, 5),
]
PRACTICE_ONLY = [("target_groups", TargetGroup, 1, 2)]
FILTERS = "pillar=prevention&region=europe&theme=online-abuse"
ADMIN_FILTERS = "pillars__id__exact={pillar}&regions__id__exact={region}&themes__id__exact={theme}"
# name -> path (``{detail}`` is a synthetic practice's address). The first eight are the table.
PAGES = {
    "browse": "/practices/",
    "browse_3_filters": f"/practices/?{FILTERS}",
    "search_common": "/practices/?q=children",
    "search_rare": "/practices/?q=unicef",
    "search_2_filters": "/practices/?q=children&pillar=prevention&region=europe",
    "api_3_filters": f"/api/practices/?{FILTERS}",
    "api_search": "/api/practices/?q=children",
    "detail": "{detail}",
    "gap_map": "/gap-map/",
    "home": "/",
    "findings": "/findings/",
    "conference": "/conferences/rome-2012/",
    "source": "/sources/rome-2012-report/",
    "pillar_page": "/pillars/prevention/",
    "articles": "/articles/",
    "api_sessions": "/api/sessions/",
    "api_articles": "/api/articles/",
    "region_page": "/regions/europe/",
    "country_page": "/countries/FR/",
    "theme_page": "/themes/online-abuse/",
    "article_page": "/articles/18/",
    "api_findings": "/api/findings/",
}
# The page whose cached throughput is compared with a static file's (issue 11).
THROUGHPUT_PAGE = "/practices/?pillar=prevention"
PEERS = {
    "browse": "/admin/practices/practice/?_facets=1",
    "browse_3_filters": f"/admin/practices/practice/?_facets=1&{ADMIN_FILTERS}",
    "search_common": "/admin/practices/practice/?_facets=1&q=children",
}


def percentile95(timings):
    return statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]


def report_words() -> list[str]:
    """Real words in their real frequencies: every word of the report, repeated as it is used."""
    words = []
    for path in sorted(Path(settings.KB_FIXTURES_DIR, "sources").glob("*.txt")):
        words += [w for w in path.read_text().lower().split() if w.isalpha() and len(w) > 1]
    return words or ["children", "protection", "prevention"]


class Generator:
    """Adds synthetic published entries by bulk insert (the search triggers index them)."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.words = report_words()
        self.sections = list(Section.objects.values_list("pk", flat=True))
        self.sessions = list(Session.objects.values_list("pk", flat=True))

    def text(self, low, high):
        return " ".join(self.rng.choices(self.words, k=self.rng.randint(low, high)))

    def entry(self, model, n, now, **fields):
        return model(
            slug=f"{SLUG_PREFIX}{model._meta.model_name}-{n}",
            title=self.text(4, 9).capitalize()[:200],
            summary=self.text(25, 60),
            quote=self.text(15, 40),
            section_id=self.rng.choice(self.sections),
            session_id=self.rng.choice(self.sessions),
            status=Status.PUBLISHED,
            published_at=now - timedelta(minutes=n),
            **fields,
        )

    def practice(self, n, now):
        return self.entry(
            Practice,
            n,
            now,
            description=self.text(40, 120),
            practice_type=self.rng.choice(Practice.PracticeType.values),
            child_participation=self.rng.choice(Practice.ChildParticipation.values),
            evidence_level=self.rng.choice(Practice.EvidenceLevel.values),
        )

    def finding(self, n, now):
        return self.entry(Finding, n, now, kind=self.rng.choice(Finding.Kind.values))

    def add(self, model, start, stop, batch=2000):
        make = self.practice if model is Practice else self.finding
        relations = DISTRIBUTION + (PRACTICE_ONLY if model is Practice else [])
        now = timezone.now()
        for first in range(start, stop, batch):
            entries = model.objects.bulk_create(make(n, now) for n in range(first, min(first + batch, stop)))
            for relation, vocabulary, low, high in relations:
                self.link(model, entries, relation, list(vocabulary.objects.values_list("pk", flat=True)), low, high)

    def link(self, model, entries, relation, terms, low, high):
        field = model._meta.get_field(relation)
        through = field.remote_field.through
        entry_column, term_column = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        rows = [
            through(**{entry_column: entry.pk, term_column: term})
            for entry in entries
            for term in self.rng.sample(terms, self.rng.randint(low, min(high, len(terms))))
        ]
        through.objects.bulk_create(rows, batch_size=5000)


class Command(BaseCommand):
    help = "Benchmark the public pages (and with --peers the Django admin) over HTTP at N synthetic entries."

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=1000, help="published practices (findings: 3x)")
        parser.add_argument("--repeat", type=int, default=30, help="requests per page (default 30)")
        parser.add_argument("--peers", action="store_true", help="also time the Django admin changelist")
        parser.add_argument("--json", help="write the figures to this file")
        parser.add_argument("--compare", help="a previous --json file: print before/after ratios")
        parser.add_argument("--port", type=int, default=8104)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--slow", type=float, default=10.0, help="seconds: a page slower is timed once")
        parser.add_argument("--pages", help="comma-separated page names (default: all)")
        parser.add_argument("--seed", type=int, default=2012)
        parser.add_argument(
            "--statement-timeout", type=int, default=60, help="seconds a PostgreSQL statement may run (default 60)"
        )
        parser.add_argument(
            "--allow-any-database", action="store_true", help="run even if the database is not named *bench*"
        )
        parser.add_argument(
            "--throughput",
            type=int,
            default=0,
            metavar="SECONDS",
            help="also measure cached anonymous throughput with wrk for SECONDS against a static file of the "
            "page's size (needs wrk: apt-get install wrk)",
        )
        parser.add_argument("--connections", type=int, default=32, help="wrk's concurrency (default 32)")

    def handle(self, *args, **options):
        unknown = set((options["pages"] or "").split(",")) - set(PAGES) - {""}
        if unknown:
            raise CommandError(f"Unknown page(s) {', '.join(sorted(unknown))}; the pages are: {', '.join(PAGES)}")
        self.check_database(options["allow_any_database"])
        call_command("migrate", verbosity=0)
        if not Section.objects.exists():
            call_command("load_kb", verbosity=0)
        self.generate(options["entries"], options["seed"])
        pages = self.pages(options["pages"])
        self.statement_timeout(options["statement_timeout"])
        results = {"meta": self.meta(options), "queries": self.count_queries(pages, options["peers"])}
        with self.server(options["port"], options["workers"]):
            timed = self.time_pages(pages, options, self.admin_cookie() if options["peers"] else None)
        results |= timed
        if options["throughput"]:
            results["throughput"] = self.throughput(options)
        self.print_results(results, options["compare"])
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(results, indent=2))
            self.stdout.write(f"Wrote {options['json']}")

    def check_database(self, allow_any):
        name = str(connection.settings_dict["NAME"])
        if "bench" not in Path(name).name and not allow_any:
            raise CommandError(
                f"The database {name!r} is not a dedicated bench database (its name must contain 'bench'); "
                "the benchmark adds thousands of entries. Use --allow-any-database to run it anyway."
            )

    def statement_timeout(self, seconds):
        """A page that never finishes must not stall the run: PostgreSQL cancels its statement
        (here, and in gunicorn through libpq's PGOPTIONS)."""
        if connection.vendor == "postgresql":
            os.environ["PGOPTIONS"] = f"-c statement_timeout={seconds * 1000}"
            with connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {seconds * 1000}")

    def generate(self, entries, seed):
        generator = Generator(seed)
        for model, wanted in ((Practice, entries), (Finding, 3 * entries)):
            have = model.objects.filter(slug__startswith=SLUG_PREFIX).count()
            if have < wanted:
                started = time.perf_counter()
                generator.add(model, have, wanted)
                took = time.perf_counter() - started
                self.stdout.write(f"Added {wanted - have} {model._meta.verbose_name_plural} ({took:.0f} s)")
        with connection.cursor() as cursor:
            # VACUUM too on PostgreSQL: index-only scans need the visibility map of the new rows.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        bump_content_version()  # bulk inserts send no signals

    def pages(self, names):
        detail = Practice.objects.filter(slug__startswith=SLUG_PREFIX).order_by("pk").values_list("slug", flat=True)
        paths = {name: path.format(detail=f"/practices/{detail.first()}/") for name, path in PAGES.items()}
        if names:
            paths = {name: paths[name] for name in names.split(",")}
        ids = {
            "pillar": Pillar.objects.get(slug="prevention").pk,
            "region": Region.objects.get(slug="europe").pk,
            "theme": Theme.objects.get(slug="online-abuse").pk,
        }
        self.peers = {name: path.format(**ids) for name, path in PEERS.items() if name in paths}
        return paths

    def meta(self, options):
        return {
            "entries": Practice.objects.published().count(),
            "findings": Finding.objects.published().count(),
            "database": connection.vendor,
            "workers": options["workers"],
            "repeat": options["repeat"],
            "when": timezone.now().isoformat(timespec="seconds"),
            "load_average": os.getloadavg(),
            "python": platform.python_version(),
        }

    def count_queries(self, pages, peers):
        """Queries per page, counted in-process (one request after a warm-up); public pages as an
        anonymous visitor, the admin's as the bench's staff user."""
        anonymous, staff = Client(raise_request_exception=False), Client(raise_request_exception=False)
        if peers:
            staff.force_login(self.bench_user())
        counted = {}
        wanted = dict(pages) | {f"admin_{n}": p for n, p in self.peers.items() if peers}
        with mock.patch.object(AnonRateThrottle, "allow_request", return_value=True):
            for name, path in wanted.items():
                client = staff if name.startswith("admin_") else anonymous
                started = time.perf_counter()
                response = client.get(path)
                if time.perf_counter() - started > 30 or response.status_code != 200:
                    counted[name] = None  # too slow to ask twice
                    continue
                with CaptureQueriesContext(connection) as captured:
                    client.get(path)
                counted[name] = len(captured.captured_queries)
        return counted

    def bench_user(self):
        user, _ = get_user_model().objects.get_or_create(
            username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
        )
        return user

    def admin_cookie(self):
        client = Client()
        client.force_login(self.bench_user())
        return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    def server(self, port, workers):
        return GunicornServer(port, workers)

    def time_pages(self, pages, options, cookie):
        """Median and p95 per page over ``repeat`` interleaved rounds; a page slower than
        ``--slow`` seconds on its warm-up is timed once and left out of the rounds."""
        base = f"http://127.0.0.1:{options['port']}"
        scenarios = {name: (base + path, None) for name, path in pages.items()}
        if cookie:
            scenarios |= {f"admin_{name}": (base + path, cookie) for name, path in self.peers.items()}
        samples, info = {}, {}
        for name, (url, cookie_value) in scenarios.items():
            warm(url, cookie_value, options["workers"])
            elapsed, status, body = fetch(url, cookie_value)
            info[name] = {"url": url.removeprefix(base), "status": status, "bytes": len(body)}
            info[name]["gzip_bytes"] = len(gzip.compress(body)) if name == "browse" else None
            samples[name] = [elapsed] if elapsed > options["slow"] * 1000 else []
        rounds = [name for name, taken in samples.items() if not taken]
        for _ in range(options["repeat"]):
            for name in rounds:
                elapsed, status, _ = fetch(scenarios[name][0], scenarios[name][1])
                samples[name].append(elapsed)
                if status != 200:
                    info[name]["status"] = status
        for name, timings in samples.items():
            info[name] |= {
                "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(percentile95(timings), 1),
                "samples": len(timings),
            }
        return {"pages": {n: v for n, v in info.items() if not n.startswith("admin_")}} | {
            "peers": {n.removeprefix("admin_"): v for n, v in info.items() if n.startswith("admin_")}
        }

    def throughput(self, options):
        """Requests per second (wrk) for the cached anonymous browse page and for a static file of
        the same size served by the same server (WhiteNoise), and their ratio."""
        wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError("--throughput needs wrk (apt-get install wrk)")
        page = THROUGHPUT_PAGE
        with self.server(options["port"], options["workers"]):
            _, status, body = fetch(f"http://127.0.0.1:{options['port']}{page}")
        static = Path(settings.STATIC_ROOT, "bench", "page.html")
        static.parent.mkdir(parents=True, exist_ok=True)
        static.write_bytes(body)
        figures = {"page": page, "bytes": len(body), "seconds": options["throughput"]}
        with GunicornServer(options["port"], options["workers"], cache_seconds=300):
            base = f"http://127.0.0.1:{options['port']}"
            for _ in range(4 * options["workers"]):
                fetch(base + page)  # each worker caches the page (local memory without REDIS_URL)
            for name, path in (("cached_page", page), ("static_file", f"{settings.STATIC_URL}bench/page.html")):
                figures[name] = run_wrk(wrk, base + path, options["throughput"], options["connections"])
        figures["ratio"] = round(
            figures["cached_page"]["requests_per_second"] / figures["static_file"]["requests_per_second"], 3
        )
        return figures

    def print_results(self, results, compare):
        meta = results["meta"]
        self.stdout.write(
            f"{meta['entries']} practices, {meta['findings']} findings on {meta['database']}; "
            f"{meta['workers']} gunicorn workers; load average {meta['load_average'][0]:.2f}"
        )
        before = json.loads(Path(compare).read_text())["pages"] if compare else {}
        self.stdout.write(f"{'page':<18} {'median':>9} {'p95':>9} {'queries':>7} {'status':>6}  vs admin / before")
        for name, page in results["pages"].items():
            extra = ""
            peer = results["peers"].get(name)
            if peer:
                extra += f" admin {peer['median_ms']:.0f}/{peer['p95_ms']:.0f} ms ({peer['status']})"
                extra += f" = {peer['p95_ms'] / page['p95_ms']:.1f}x"
            if name in before:
                extra += f" before {before[name]['median_ms']:.0f}/{before[name]['p95_ms']:.0f} ms"
                extra += f" = {before[name]['p95_ms'] / page['p95_ms']:.1f}x"
            queries = results["queries"].get(name)
            queries = "-" if queries is None else queries
            self.stdout.write(
                f"{name:<18} {page['median_ms']:>7.0f}ms {page['p95_ms']:>7.0f}ms {queries:>7} "
                f"{page['status']:>6} {extra}"
            )
        browse = results["pages"].get("browse")
        if browse:
            self.stdout.write(f"browse page: {browse['bytes']} bytes, {browse['gzip_bytes']} gzipped")
        figures = results.get("throughput")
        if figures:
            page, static = figures["cached_page"], figures["static_file"]
            self.stdout.write(
                f"throughput ({figures['seconds']} s, {page['connections']} connections, {figures['bytes']} bytes): "
                f"cached {figures['page']} {page['requests_per_second']:.0f} req/s ({page['errors']} errors), "
                f"static file {static['requests_per_second']:.0f} req/s ({static['errors']} errors) "
                f"= {figures['ratio']:.0%}"
            )


def run_wrk(wrk, url, seconds, connections):
    """wrk's requests per second and errors (socket errors and non-2xx answers) for ``url``."""
    output = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    errors += sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    p99 = re.search(r"99%\s+([\d.]+\w+)", output)
    return {
        "requests_per_second": float(rate.group(1)) if rate else 0.0,
        "errors": errors,
        "latency_p99": p99.group(1) if p99 else None,
        "connections": connections,
    }


def warm(url, cookie, workers):
    """Requests to ``url``, as many at once as there are workers, twice: a busy sync worker leaves
    the next one to another, so every worker has built what the page needs (its facet index, its
    orderings) before the timed rounds, which measure the steady state."""
    with ThreadPoolExecutor(workers) as pool:
        for _ in range(2):
            list(pool.map(lambda _: fetch(url, cookie), range(workers)))


def fetch(url, cookie=None):
    """(milliseconds, status, body) of one GET."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            body, status = response.read(), response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    except OSError:
        body, status = b"", 0
    return (time.perf_counter() - started) * 1000, status, body


class GunicornServer:
    """gunicorn serving this project on the bench database, for the duration of a ``with``."""

    def __init__(self, port, workers, cache_seconds=0):
        self.port, self.workers, self.cache_seconds = port, workers, cache_seconds

    def __enter__(self):
        # Uncached figures unless cache_seconds: neither facet counts nor pages are cached (the ETag
        # middleware only answers requests that send If-None-Match, which the benchmark never does).
        cache = str(self.cache_seconds)
        env = os.environ | {
            "DJANGO_DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "KB_FACET_CACHE_SECONDS": cache,
            "KB_PAGE_CACHE_SECONDS": cache,
        }
        env.setdefault("DATABASE_URL", database_url())
        command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", str(self.workers)]
        command += ["-b", f"127.0.0.1:{self.port}", "--timeout", "300", "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)
        for _ in range(100):
            time.sleep(0.2)
            if fetch(f"http://127.0.0.1:{self.port}/favicon.ico")[1]:
                return self
        self.process.terminate()
        raise CommandError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def database_url():
    """The current default database as a URL (for gunicorn, when DATABASE_URL is not set: SQLite)."""
    return f"sqlite:///{connection.settings_dict['NAME']}"
