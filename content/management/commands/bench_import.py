"""Benchmark of the import: builds a valid file of --rows practices and validates it (a dry run,
nothing is written), printing rows per second and the peak memory growth of the process."""

import csv
import io
import resource
import time

from django.core.management.base import BaseCommand, CommandError

from content.importing import import_file
from kb.models import Section

HEADER = ["slug", "title", "summary", "source", "section", "quote", "practice_type", "pillars", "regions",
          "countries", "articles", "target_groups", "status"]  # fmt: skip


# A verbatim passage of the shipped report, so every row passes the quote check.
SOURCE, SECTION, QUOTE = "rome-2012-report", "B", "prosecution to stop impunity of perpetrators"


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def benchmark_file(rows: int, fmt: str) -> bytes:
    """A valid file of ``rows`` practices quoting the first section of the shipped report."""
    section = Section.objects.select_related("document").filter(document__slug=SOURCE, code=SECTION).first()
    if section is None:
        raise CommandError(f"No section {SECTION} of {SOURCE} to quote: run load_kb first.")
    quote = QUOTE
    records = [
        [f"bench-{n}", f"Benchmark practice {n}", f"What benchmark practice {n} does.", section.document.slug,
         section.code, quote, "policy", "prosecution; promotion", "europe", "SN", "38", "children", "draft"]
        for n in range(rows)
    ]  # fmt: skip
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("practices")
        sheet.append(HEADER)
        for record in records:
            sheet.append(record)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(records)
    return out.getvalue().encode()


class Command(BaseCommand):
    help = "Validate a generated file of --rows practices (dry run) and print rows/s and peak memory growth."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=50_000)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")

    def handle(self, *args, rows, format, **options):
        content = benchmark_file(rows, format)
        before, peak_before = _rss_mb(), _peak_mb()
        start, cpu_start = time.perf_counter(), time.process_time()
        report = import_file(f"bench.{format}", content, default_kind="practices", dry_run=True)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        growth = max(_peak_mb(), peak_before) - before
        if not report.ok:
            raise CommandError("The benchmark file did not validate:\n" + report.text())
        self.stdout.write(
            f"{rows} rows ({format}, {len(content) / 1e6:.1f} MB) validated in {seconds:.1f} s: "
            f"{rows / seconds:.0f} rows/s (CPU {cpu:.1f} s of this process), peak memory growth {growth:.0f} MB. "
            f"{report.summary()}"
        )
