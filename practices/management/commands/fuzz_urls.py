"""``manage.py fuzz_urls --examples 10000``: the benchmark fuzzing run (see ``common/fuzzing.py``)."""

from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.test.utils import setup_test_environment

from common.fuzzing import fuzz
from practices.kinds import ENTRY_KINDS


def filter_set_parameters() -> set[str]:
    """The query parameters the browse filter sets take (the fuzzer also learns them from pages)."""
    return {name for kind in ENTRY_KINDS for name in kind.filterset_class.get_filters()}


class Command(BaseCommand):
    help = (
        "Request every public URL pattern with generated parameters (NUL and control characters included); count 5xx."
    )

    def add_arguments(self, parser):
        parser.add_argument("--examples", type=int, default=1000, help="how many generated requests (default 1000)")

    def handle(self, *args, examples, **options):
        setup_test_environment()  # the test client's ALLOWED_HOSTS ("testserver") and template capture
        client = Client(raise_request_exception=False)
        seen = {"requests": 0, "5xx": 0}

        def progress(url, response):
            seen["requests"] += 1
            seen["5xx"] += response.status_code >= 500
            if seen["requests"] % 500 == 0:
                self.stdout.write(f"... {seen['requests']} requests, {seen['5xx']} server errors")
                self.stdout.flush()

        report = fuzz(client, examples, extra_params=filter_set_parameters(), on_response=progress)
        self.stdout.write(f"requests made: {report.requests}")
        self.stdout.write("status codes: " + ", ".join(f"{code}: {n}" for code, n in sorted(report.statuses.items())))
        self.stdout.write(f"server errors (5xx): {len(report.server_errors)}")
        self.stdout.write(
            "slowest: " + "; ".join(f"{seconds:.2f} s {url[:80]!r}" for seconds, url in report.slowest[:5])
        )
        for url, status in report.server_errors[:20]:
            self.stdout.write(f"  {status} {url!r}")
        if report.server_errors:
            raise CommandError(f"{len(report.server_errors)} server errors")
