"""CSV and JSON exports of the filtered browse lists, streamed so a large export never sits in
memory: rows are read with ``iterator(chunk_size=...)``, which prefetches relations per chunk."""

import csv
import json

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views import View

from practices.filters import FindingFilterSet, PracticeFilterSet
from practices.models import Finding, Practice

CHUNK_SIZE = 200
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Prefix an apostrophe to a text cell a spreadsheet would otherwise evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def columns(model):
    """The export's columns, in order."""
    own = ["kind"] if model is Finding else PRACTICE_ONLY_COLUMNS
    return ["slug", "title", "summary", *own, *SHARED_COLUMNS]


PRACTICE_ONLY_COLUMNS = ["practice_type", "evidence_level", "child_participation", "target_groups", "implementers"]
SHARED_COLUMNS = [
    "pillars", "regions", "countries", "themes", "articles", "inspire",
    "session", "source_document", "section", "quote", "url",
]  # fmt: skip


def joined(items, attribute="slug"):
    return [str(getattr(item, attribute)) for item in items]


def entry_row(entry, request):
    """One entry as a flat mapping; lists stay lists (CSV joins them)."""
    row = {
        "slug": entry.slug,
        "title": entry.title,
        "summary": entry.summary,
    }
    if isinstance(entry, Finding):
        row["kind"] = entry.kind
    else:
        row |= {
            "practice_type": entry.practice_type,
            "evidence_level": entry.evidence_level,
            "child_participation": entry.child_participation,
            "target_groups": joined(entry.target_groups.all()),
            "implementers": joined(entry.implementers.all()),
        }
    row |= {
        "pillars": joined(entry.pillars.all()),
        "regions": joined(entry.regions.all()),
        "countries": joined(entry.countries.all(), "code"),
        "themes": joined(entry.themes.all()),
        "articles": [article.number for article in entry.articles.all()],
        "inspire": joined(entry.inspire_strategies.all()),
        "session": entry.session.slug if entry.session_id else "",
        "source_document": entry.section.document.slug,
        "section": entry.section.code,
        "quote": entry.quote,
        "url": request.build_absolute_uri(entry.get_absolute_url()),
    }
    return row


class EchoBuffer:
    """csv.writer writes into this and gets the line back, so each row can be yielded."""

    def write(self, value):
        return value


class EntryExportView(View):
    model = None
    filterset_class = None
    format = "csv"

    def get_queryset(self):
        # The source document's full text would otherwise be read once per row.
        base = self.model.objects.published().with_relations().defer("section__document__text")
        if self.model is Practice:
            base = base.prefetch_related("target_groups", "implementers")
        self.filterset = self.filterset_class(self.request.GET, queryset=base)
        return self.filterset.qs.order_by("title", "pk")

    def rows(self, queryset):
        for entry in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield entry_row(entry, self.request)

    def filename(self):
        stamp = timezone.localdate().isoformat()
        return f"lanzarote-kb-{self.model._meta.verbose_name_plural}-{stamp}.{self.format}"

    def get(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        stream = self.stream_csv(queryset) if self.format == "csv" else self.stream_json(queryset)
        content_type = "text/csv; charset=utf-8" if self.format == "csv" else "application/json"
        response = StreamingHttpResponse(stream, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.filename()}"'
        ignored = self.filterset.ignored
        if ignored:
            # The CSV has no room for it: say in a header which parameter values were not understood.
            response["X-Ignored-Filters"] = json.dumps(ignored, ensure_ascii=True)[:1000]
        return response

    def stream_csv(self, queryset):
        writer = csv.writer(EchoBuffer())
        names = columns(self.model)
        yield writer.writerow(names)
        for row in self.rows(queryset):
            values = (row[name] for name in names)
            yield writer.writerow(
                [neutralise_formula("; ".join(map(str, v)) if isinstance(v, list) else v) for v in values]
            )

    def stream_json(self, queryset):
        yield '{"ignored": ' + json.dumps(self.filterset.ignored) + ', "results": ['

        for index, row in enumerate(self.rows(queryset)):
            yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
        yield "\n]}\n"


class PracticeExportView(EntryExportView):
    model = Practice
    filterset_class = PracticeFilterSet


class FindingExportView(EntryExportView):
    model = Finding
    filterset_class = FindingFilterSet
