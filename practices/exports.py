"""CSV, JSON and XLSX exports of the filtered browse lists (the same filters and words as the
page). CSV and JSON are streamed so a large export never sits in memory: rows are read with
``iterator(chunk_size=...)``, which prefetches relations per chunk; an XLSX file is a zip and is
built whole.

Every classification comes twice: as readable labels (``regions``: "Sub-Saharan Africa; Global /
cross-regional") and as codes in a column of its own (``region_codes``: "sub-saharan-africa;
global"), so a spreadsheet reads well and the codes can still be matched against the API. The CSV
is UTF-8 with a byte-order mark, which spreadsheet programs need to read "–" or "é" correctly."""

import csv
import io
import json

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views import View
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from common.licence import LICENCE
from common.spreadsheet import neutralise_formula
from practices.filters import FindingFilterSet, PracticeFilterSet
from practices.models import Finding, Practice

CHUNK_SIZE = 200
BOM = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def columns(model):
    """The export's columns, in order."""
    own = FINDING_COLUMNS if model is Finding else PRACTICE_COLUMNS
    return ["slug", "title", "summary", *own, *SHARED_COLUMNS]


FINDING_COLUMNS = ["kind", "kind_code", "speakers", "speaker_codes", "organisations", "organisation_codes"]
PRACTICE_COLUMNS = [
    "basis", "basis_code", "rating_reason",
    "practice_type", "practice_type_code", "evidence_level", "evidence_level_code",
    "child_participation", "child_participation_code", "target_groups", "target_group_codes",
    "implementers", "implementer_codes",
]  # fmt: skip
SHARED_COLUMNS = [
    "pillars", "pillar_codes", "regions", "region_codes", "countries", "country_codes",
    "themes", "theme_codes", "articles", "article_numbers", "inspire", "inspire_codes",
    "session", "session_code", "source_document", "section", "section_code", "quote", "url",
]  # fmt: skip


def labels_and_codes(items, code="slug", label="label"):
    items = list(items)
    return [str(getattr(item, label)) for item in items], [str(getattr(item, code)) for item in items]


def classification(row, name, code_name, items, code="slug", label="label"):
    row[name], row[code_name] = labels_and_codes(items, code, label)


def choice(row, entry, name):
    row[name] = getattr(entry, f"get_{name}_display")()
    row[f"{name}_code"] = getattr(entry, name)


def entry_row(entry, request):
    """One entry as a flat mapping; lists stay lists (CSV and XLSX join them)."""
    row = {"slug": entry.slug, "title": entry.title, "summary": entry.summary}
    if isinstance(entry, Finding):
        choice(row, entry, "kind")
        classification(row, "speakers", "speaker_codes", entry.speakers.all(), label="display_name")
        classification(row, "organisations", "organisation_codes", entry.organisations.all(), label="name")
    else:
        choice(row, entry, "basis")
        row["rating_reason"] = entry.rating_reason
        for name in ("practice_type", "evidence_level", "child_participation"):
            choice(row, entry, name)
        classification(row, "target_groups", "target_group_codes", entry.target_groups.all())
        classification(row, "implementers", "implementer_codes", entry.implementers.all(), label="name")
    classification(row, "pillars", "pillar_codes", entry.pillars.all())
    classification(row, "regions", "region_codes", entry.regions.all())
    classification(row, "countries", "country_codes", entry.countries.all(), code="code")
    classification(row, "themes", "theme_codes", entry.themes.all())
    articles = list(entry.articles.all())
    row["articles"] = [f"Art. {article.number}: {article.label}" for article in articles]
    row["article_numbers"] = [article.number for article in articles]
    classification(row, "inspire", "inspire_codes", entry.inspire_strategies.all())
    row |= {
        "session": entry.session.title if entry.session_id else "",
        "session_code": entry.session.slug if entry.session_id else "",
        "source_document": entry.section.document.slug,
        "section": entry.section.label,
        "section_code": entry.section.code,
        "quote": entry.quote,
        "url": request.build_absolute_uri(entry.get_absolute_url()),
    }
    return row


def flat(value):
    """A cell's text: lists joined with "; ", formulas neutralised."""
    return neutralise_formula("; ".join(map(str, value)) if isinstance(value, list) else value)


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
        base = (
            self.model.objects.published()
            .with_relations()
            .select_related("section__parent")
            .defer("section__document__text")
        )
        if self.model is Practice:
            base = base.prefetch_related("target_groups", "implementers")
        else:
            base = base.prefetch_related("speakers", "organisations")
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
        if self.format == "xlsx":
            response = HttpResponse(self.xlsx(queryset), content_type=XLSX_TYPE)
        elif self.format == "csv":
            response = StreamingHttpResponse(self.stream_csv(queryset), content_type="text/csv; charset=utf-8")
        else:
            response = StreamingHttpResponse(self.stream_json(queryset), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{self.filename()}"'
        ignored = self.filterset.ignored
        if ignored:
            # CSV and XLSX have no room for it: say in a header which parameter values were not understood.
            response["X-Ignored-Filters"] = json.dumps(ignored, ensure_ascii=True)[:1000]
        return response

    def stream_csv(self, queryset):
        writer = csv.writer(EchoBuffer())
        names = columns(self.model)
        yield BOM + writer.writerow(names)
        for row in self.rows(queryset):
            yield writer.writerow([flat(row[name]) for name in names])

    def stream_json(self, queryset):
        yield '{"licence": ' + json.dumps(LICENCE) + ', "ignored": ' + json.dumps(self.filterset.ignored)
        yield ', "results": ['

        for index, row in enumerate(self.rows(queryset)):
            yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
        yield "\n]}\n"

    def xlsx(self, queryset) -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(str(self.model._meta.verbose_name_plural).capitalize())
        names = columns(self.model)
        sheet.append(names)
        for row in self.rows(queryset):
            cells = []
            for name in names:
                value = flat(row[name])
                cells.append(ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value)
            sheet.append(cells)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


class PracticeExportView(EntryExportView):
    model = Practice
    filterset_class = PracticeFilterSet


class FindingExportView(EntryExportView):
    model = Finding
    filterset_class = FindingFilterSet
