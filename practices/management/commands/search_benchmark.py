"""Times search over the relevance questions, on the current database and optionally with N
synthetic published entries added (inside a transaction that is rolled back)."""

import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from practices.models import Finding, Practice, Status
from practices.relevance import load_questions
from search.query import words_of
from search.services import search_context, search_entries


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Median and p95 milliseconds per search query, optionally with N synthetic extra entries."

    def add_arguments(self, parser):
        parser.add_argument("--synthetic", type=int, default=0, help="Add N fake entries per kind (rolled back).")
        parser.add_argument("--repeat", type=int, default=3, help="Runs of the whole question set.")
        parser.add_argument("--seed", type=int, default=2012)

    def handle(self, *args, **options):
        questions = [item["q"] for item in load_questions()]
        # The same questions mistyped: exercises the did-you-mean / correction path.
        rng = random.Random(options["seed"])
        questions += [self.mistype(q, rng) for q in questions[:10]]
        with transaction.atomic():
            if options["synthetic"]:
                self.add_synthetic(options["synthetic"], rng)
            self.report(questions, options["repeat"])
            transaction.set_rollback(True)

    def mistype(self, question, rng):
        words = question.split()
        i = max(range(len(words)), key=lambda k: len(words[k]))
        word = words[i]
        j = rng.randrange(1, len(word) - 1)
        words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
        return " ".join(words)

    def add_synthetic(self, count, rng):
        vocabulary = sorted({w for text in Practice.objects.values_list("summary", flat=True) for w in words_of(text)})
        templates = {
            Practice: Practice.objects.published().first(),
            Finding: Finding.objects.published().first(),
        }

        def text(n):
            return " ".join(rng.choice(vocabulary) for _ in range(n))

        started = time.perf_counter()
        for model, template in templates.items():
            extra = {"practice_type": template.practice_type} if model is Practice else {"kind": template.kind}
            model.objects.bulk_create(
                [
                    model(
                        slug=f"synthetic-{model._meta.model_name}-{i}",
                        title=text(8)[:200],
                        summary=text(30),
                        quote=text(60),
                        section_id=template.section_id,
                        session_id=template.session_id,
                        status=Status.PUBLISHED,
                        **extra,
                    )
                    for i in range(count)
                ],
                batch_size=500,
            )
        elapsed = time.perf_counter() - started
        self.stdout.write(f"added {count} synthetic practices and {count} findings in {elapsed:.1f} s (indexed)")

    def report(self, questions, repeat):
        totals = {"search (top 20 + count)": [], "did-you-mean + names": []}
        for _ in range(repeat):
            for q in questions:
                for model in (Practice, Finding):
                    started = time.perf_counter()
                    results = search_entries(model.objects.published(), q)
                    if "search_rank" in results.query.annotations:
                        results = results.order_by("-search_rank")
                    list(results[:20])
                    results.count()
                    totals["search (top 20 + count)"].append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                search_context(q)
                totals["did-you-mean + names"].append((time.perf_counter() - started) * 1000)
        entries = Practice.objects.count() + Finding.objects.count()
        self.stdout.write(f"{connection.vendor}: {entries} entries, {len(questions)} questions x {repeat} runs")
        for label, values in totals.items():
            self.stdout.write(
                f"  {label}: median {statistics.median(values):.1f} ms, p95 {percentile(values, 0.95):.1f} ms, "
                f"max {max(values):.1f} ms per query"
            )
