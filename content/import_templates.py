"""Import templates: what a curator downloads before filling a spreadsheet to import.

Per kind (findings, practices) a CSV or XLSX file with the header row the import reads and one
example row (a real entry of the catalogue, so importing the template unchanged changes nothing),
and the list of every valid code for each coded column: as the workbook's second sheet
(``CODES_SHEET``, which the import skips) or as a CSV file of its own.
"""

from __future__ import annotations

import tablib

from content.exporting import COLUMNS, dataset
from content.importing import CODES_SHEET
from content.records import entry_record, records_queryset
from kb.models import Organisation, Project, Section, Session
from practices.kinds import BY_PLURAL
from practices.models import EVER_PUBLIC, Finding, Practice, Status
from taxonomy.models import ConventionArticle, Country, InspireStrategy, Pillar, Region, TargetGroup, Theme

CODE_HEADERS = ["column", "code", "meaning"]
# Columns whose values come from a vocabulary or a table, with the code each row of it is known by.
_TABLES = [
    ("pillars", Pillar, "slug"),
    ("regions", Region, "slug"),
    ("countries", Country, "code"),
    ("themes", Theme, "slug"),
    ("articles", ConventionArticle, "number"),
    ("inspire", InspireStrategy, "slug"),
    ("session", Session, "slug"),
]
_PRACTICE_TABLES = [
    ("target_groups", TargetGroup, "slug"),
    ("implementers", Organisation, "slug"),
    ("projects", Project, "slug"),
]


def template_columns(kind: str) -> list[str]:
    """The columns of an import file of ``kind`` (an export's, less the publication date it sets itself)."""
    return [column for column in COLUMNS[kind] if column != "published_at"]


def example_record(kind: str) -> dict:
    """A published entry of ``kind`` as a record, or an empty record when there is none yet."""
    model = BY_PLURAL[kind].model
    entry = records_queryset(model).filter(status__in=EVER_PUBLIC).first()
    return entry_record(entry) if entry is not None else {"status": Status.DRAFT}


def code_rows(kind: str) -> list[list[str]]:
    """[column, code, meaning] for every valid value of every coded column of ``kind``."""
    model = BY_PLURAL[kind].model
    choices = [("status", Status.choices)]
    choices += [("kind", Finding.Kind.choices)] if model is Finding else []
    if model is Practice:
        choices += [
            ("practice_type", Practice.PracticeType.choices),
            ("child_participation", Practice.ChildParticipation.choices),
            ("evidence_level", Practice.EvidenceLevel.choices),
        ]
    rows = [[column, str(code), str(label)] for column, pairs in choices for code, label in pairs]
    for column, table, key in _TABLES + (_PRACTICE_TABLES if model is Practice else []):
        rows += [[column, str(getattr(obj, key)), str(obj)] for obj in table.objects.all()]
    for section in Section.objects.select_related("document").order_by("document__slug", "code"):
        rows.append(["source + section", f"{section.document.slug} + {section.code}", section.title])
    if model is Practice:
        rows += [["related_findings", f.slug, f.title] for f in Finding.objects.order_by("slug")]
    return rows


def template_dataset(kind: str) -> tablib.Dataset:
    columns = template_columns(kind)
    full = dataset(kind, [example_record(kind)])
    data = tablib.Dataset(headers=columns, title=kind)
    data.append([full[0][full.headers.index(column)] for column in columns])
    return data


def codes_dataset(kind: str) -> tablib.Dataset:
    data = tablib.Dataset(headers=CODE_HEADERS, title=CODES_SHEET)
    for row in code_rows(kind):
        data.append(row)
    return data


def render_template(kind: str, fmt: str) -> bytes:
    """The template of ``kind`` as ``fmt``: "csv", "xlsx" (with the codes sheet) or "codes.csv"."""
    if fmt == "csv":
        return template_dataset(kind).export("csv").encode("utf-8")
    if fmt == "codes.csv":
        return codes_dataset(kind).export("csv").encode("utf-8")
    if fmt == "xlsx":
        return tablib.Databook([template_dataset(kind), codes_dataset(kind)]).export("xlsx")
    raise ValueError(f"unknown template format {fmt!r}")
