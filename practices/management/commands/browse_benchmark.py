"""Time the faceted browse pages and API: median and 95th percentile per URL, and queries per
request. ``--synthetic N`` first adds N published practices with random classifications, inside a
transaction that is rolled back at the end, so the database is left as it was. Figures only."""

import random
import statistics
import time
from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle

from kb.models import Section, Session
from practices.models import Practice, Status
from taxonomy.models import ConventionArticle, Country, Pillar, Region, TargetGroup, Theme

URLS = [
    "/practices/",
    "/practices/?pillar=prevention&region=europe",
    "/practices/?pillar=prevention&pillar=protection&region=europe&theme=migration&sort=newest",
    "/practices/?q=children&article=38",
    "/practices/?country=MA&country=IT&practice_type=programme&page=2",
    "/findings/",
    "/findings/?kind=recommendation&pillar=prosecution",
    "/api/practices/",
    "/api/practices/?pillar=prevention&region=europe&page_size=100",
    "/api/findings/?q=children&kind=recommendation",
]

M2M = {
    "pillars": (Pillar, 1, 2),
    "regions": (Region, 1, 2),
    "countries": (Country, 0, 4),
    "themes": (Theme, 0, 4),
    "articles": (ConventionArticle, 0, 3),
    "target_groups": (TargetGroup, 1, 3),
}


class Command(BaseCommand):
    help = "Print timings (median, p95) and queries per request of the browse pages and API."

    def add_arguments(self, parser):
        parser.add_argument("--synthetic", type=int, default=0, help="add N published practices (rolled back)")
        parser.add_argument("--repeat", type=int, default=15, help="requests per URL (default 15)")
        parser.add_argument("--seed", type=int, default=2012)

    def handle(self, *args, synthetic, repeat, seed, **options):
        with transaction.atomic():
            if synthetic:
                started = time.perf_counter()
                self.add_practices(synthetic, random.Random(seed))
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")  # planner statistics that know about the new rows
                self.stdout.write(f"Added {synthetic} synthetic practices in {time.perf_counter() - started:.1f} s")
            self.stdout.write(
                f"{Practice.objects.published().count()} published practices; {repeat} requests per URL; "
                f"database {connection.vendor}"
            )
            self.measure(repeat)
            transaction.set_rollback(True)
        if synthetic:
            self.stdout.write("Rolled back the synthetic practices.")

    def measure(self, repeat):
        host = "testserver" if "testserver" in settings.ALLOWED_HOSTS else settings.ALLOWED_HOSTS[0]
        client = Client(HTTP_HOST=host)
        self.stdout.write(f"{'median ms':>10} {'p95 ms':>8} {'queries':>8}  url")
        with mock.patch.object(AnonRateThrottle, "allow_request", return_value=True):
            for url in URLS:
                client.get(url)  # warm up
                timings, queries = [], set()
                for _ in range(repeat):
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        response = client.get(url)
                        timings.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        self.stderr.write(f"{url} answered {response.status_code}")
                    queries.add(len(captured.captured_queries))
                p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
                count = "/".join(str(n) for n in sorted(queries))
                self.stdout.write(f"{statistics.median(timings):10.1f} {p95:8.1f} {count:>8}  {url}")

    def add_practices(self, number, rng):
        sections = list(Section.objects.all())
        sessions = list(Session.objects.all())
        terms = {name: list(model.objects.values_list("pk", flat=True)) for name, (model, _, _) in M2M.items()}
        now = timezone.now()
        practices = Practice.objects.bulk_create(
            Practice(
                slug=f"synthetic-practice-{n}",
                title=f"Synthetic practice {n} {rng.choice(['children', 'travel', 'online', 'courts'])}",
                summary="A synthetic practice for the browse benchmark, protecting children.",
                quote="Synthetic.",
                section=rng.choice(sections),
                session=rng.choice(sessions),
                status=Status.PUBLISHED,
                published_at=now - timedelta(minutes=n),
                practice_type=rng.choice(Practice.PracticeType.values),
                child_participation=rng.choice(Practice.ChildParticipation.values),
                evidence_level=rng.choice(Practice.EvidenceLevel.values),
            )
            for n in range(number)
        )
        for name, (_, low, high) in M2M.items():
            through = getattr(Practice, name).through
            term_field = Practice._meta.get_field(name).m2m_reverse_name()
            rows = [
                through(practice_id=practice.pk, **{term_field: term})
                for practice in practices
                for term in rng.sample(terms[name], rng.randint(low, min(high, len(terms[name]))))
            ]
            through.objects.bulk_create(rows, batch_size=5000)
