from django.core.management.base import BaseCommand
from django.db import connection

from practices.relevance import TOP, evaluate, hit_rate, mean_reciprocal_rank


class Command(BaseCommand):
    help = f"Top-{TOP} hit rate and MRR of search over the questions in search/relevance.json."

    def add_arguments(self, parser):
        parser.add_argument("--misses", action="store_true", help="List the questions that missed.")

    def handle(self, *args, **options):
        cases = evaluate()
        if options["misses"]:
            for case in cases:
                if case.first_hit is None:
                    self.stdout.write(f"MISS [{case.kind}] {case.question!r}: got {case.results}")
        questions = len({case.question for case in cases})
        self.stdout.write(
            f"{connection.vendor}: {len(cases)} cases from {questions} questions; "
            f"top-{TOP} hit rate {hit_rate(cases):.3f}, MRR {mean_reciprocal_rank(cases):.3f}"
        )
