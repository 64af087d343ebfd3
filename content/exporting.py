"""Export findings and practices (CSV, XLSX, JSON) and the whole knowledge base (a bundle).

Entry exports write the records ``content.importing`` reads back: the JSON shape of fixtures/README.md,
or one spreadsheet row per entry with several values in a cell joined by ``; `` and extra quotes
as ``CODE: quote`` lines. The whole knowledge base is written in the fixtures/ bundle layout, so
``load_kb`` loads it back (into an empty database, the same content).

Exports are for curators and include entries of every status.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import tablib

from common.spreadsheet import neutralise_formula
from content.importing import KINDS, LIST_COLUMNS
from content.records import entry_record, records_queryset
from content.thesaurus import SUMMARIES_FILE, THESAURUS_FILE, article_summaries_data, thesaurus_data
from kb.models import Conference, Organisation, Person, Project, Session, SourceDocument
from practices.kinds import BY_PLURAL
from practices.kinds import kind_of as entry_kind_of
from taxonomy.models import ConventionArticle, Country, InspireStrategy, Pillar, Region, TargetGroup, Theme

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "zip": "application/zip",
}
FINDING_COLUMNS = [
    "slug", "kind", "title", "summary", "source", "section", "session", "quote", "speakers", "organisations",
    "pillars", "regions", "countries", "themes", "articles", "inspire", "tag_exception",
    "status", "published_at", "last_verified",
]  # fmt: skip
PRACTICE_COLUMNS = [
    "slug", "title", "summary", "description", "source", "section", "session", "quote", "extra_quotes",
    "implementers", "projects", "related_findings", "target_groups",
    "pillars", "regions", "countries", "themes", "articles", "inspire",
    "practice_type", "child_participation", "evidence_level", "basis", "rating_reason", "tag_exception",
    "status", "published_at", "last_verified",
]  # fmt: skip
COLUMNS = {"findings": FINDING_COLUMNS, "practices": PRACTICE_COLUMNS}


def kind_of(model) -> str:
    """ "findings" or "practices" for a Finding or Practice model."""
    return entry_kind_of(model).plural


def entry_records(kind: str, queryset=None, progress=None) -> list[dict]:
    """Records of ``queryset`` (default: every entry of that kind), ordered by slug."""
    model = BY_PLURAL[kind].model
    base = records_queryset(model)
    if queryset is not None:
        base = base.filter(pk__in=queryset.values("pk"))
    entries = base.all()
    return [entry_record(entry) for entry in (progress(entries, desc=kind) if progress else entries)]


def _cell(column: str, value) -> str:
    """A record's value as spreadsheet text, formulas neutralised (common.spreadsheet)."""
    if column == "extra_quotes":
        text = "\n".join(f"{q['section']}: {q['quote']}" for q in value)
    elif column in LIST_COLUMNS:
        text = "; ".join(str(item) for item in value)
    else:
        text = "" if value is None else str(value)
    return neutralise_formula(text)


def dataset(kind: str, records: list[dict]) -> tablib.Dataset:
    columns = COLUMNS[kind]
    data = tablib.Dataset(headers=columns, title=kind)
    for record in records:
        data.append([_cell(column, record.get(column, "")) for column in columns])
    return data


def render_entries(records_by_kind: dict[str, list[dict]], fmt: str) -> bytes:
    """One file holding the given kinds: JSON ``{"findings": [...], "practices": [...]}``, an XLSX
    workbook with a sheet per kind, or (one kind only) CSV."""
    if fmt == "json":
        return (json.dumps(records_by_kind, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    sheets = [dataset(kind, records) for kind, records in records_by_kind.items()]
    if fmt == "xlsx":
        return tablib.Databook(sheets).export("xlsx")
    if fmt == "csv":
        if len(sheets) != 1:
            raise ValueError("a CSV file holds one kind of entry")
        return sheets[0].export("csv").encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}")


# --- the whole knowledge base as a bundle ---------------------------------------------------------


def _slugs(manager, key="slug"):
    return sorted(getattr(obj, key) for obj in manager.all())


def _flat(obj, names, **references):
    """``obj``'s fields ``names``, then each foreign key in ``references`` by the given key ("" if none)."""
    record = {name: getattr(obj, name) for name in names}
    for name, key in references.items():
        related = getattr(obj, name)
        record[name] = getattr(related, key) if related is not None else ""
    return record


def _write_json(path: Path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _vocabulary_files():
    def term(obj, *extra):
        record = {"slug": obj.slug, "name": obj.name, "name_fr": obj.name_fr}
        record |= {name: getattr(obj, name) for name in extra}
        record["description"] = obj.description
        return record

    pillars = [term(p, "order", "definition") | {"quote": p.source_quote} for p in Pillar.objects.all()]
    return {
        "pillars.json": {"pillars": pillars},
        "regions.json": {"regions": [term(r, "order") for r in Region.objects.all()]},
        "themes.json": {"themes": [term(t) for t in Theme.objects.order_by("slug")]},
        "target_groups.json": {"target_groups": [term(t) for t in TargetGroup.objects.order_by("slug")]},
        "inspire.json": {
            "inspire_strategies": [term(s, "letter", "cross_cutting", "order") for s in InspireStrategy.objects.all()]
        },
        "countries.json": {
            "countries": [
                _flat(c, ["code", "name", "name_fr"], region="slug")
                for c in Country.objects.select_related("region").order_by("code")
            ]
        },
    }


def _articles_tsv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(["number", "title", "chapter", "chapter_title", "pillar", "title_fr", "chapter_title_fr"])
    for article in ConventionArticle.objects.select_related("pillar"):
        pillar = article.pillar.slug if article.pillar_id else ""
        row = [article.number, article.title, article.chapter, article.chapter_title, pillar]
        writer.writerow(row + [article.title_fr, article.chapter_title_fr])
    return out.getvalue()


def _section_ref(section, first_document):
    """A session's or project's section: its code, with the source when it is not the file's first."""
    if section is None:
        return {"section": ""}
    if first_document is not None and section.document_id == first_document.pk:
        return {"section": section.code}
    return {"source": section.document.slug, "section": section.code}


def _source_record(document: SourceDocument) -> dict:
    sections = []
    for section in document.sections.select_related("parent").order_by("order"):
        item = {"code": section.code, "title": section.title, "heading": section.heading}
        if section.parent_id:
            item["parent"] = section.parent.code
        sections.append(item)
    return {
        "slug": document.slug,
        "title": document.title,
        "file": f"sources/{document.slug}.txt",
        "published": document.published,
        "url": document.url,
        "sections": sections,
    }


def _conference_file(conference, documents, projects, organisations=(), people=()):
    first = documents[0] if documents else None
    data = {}
    if conference is not None:
        data["conference"] = {
            "slug": conference.slug,
            "title": conference.title,
            "short_title": conference.short_title,
            "subtitle": conference.subtitle,
            "start_date": conference.start_date.isoformat(),
            "end_date": conference.end_date.isoformat(),
            "place": conference.place,
            "country": conference.country.code if conference.country_id else "",
            "summary": conference.summary,
            "organisers": _slugs(conference.organisers),
            "rapporteurs": _slugs(conference.rapporteurs),
        }
    data["sources"] = [_source_record(document) for document in documents]
    data["organisations"] = [_flat(o, ["slug", "name", "acronym", "kind"], country="code") for o in organisations]
    data["people"] = [_flat(p, ["slug", "name", "honorific", "role"], organisation="slug") for p in people]
    sessions = [] if conference is None else conference.sessions.select_related("section__document", "region")
    data["sessions"] = [
        {"slug": s.slug, "kind": s.kind, "order": s.order}
        | _section_ref(s.section, first)
        | {
            "region": s.region.slug if s.region_id else "",
            "regions": _slugs(s.regions),
            "title": s.title,
            "question": s.question,
            "summary": s.summary,
            "speakers": _slugs(s.speakers),
            "organisations": _slugs(s.organisations),
        }
        for s in sessions
    ]
    data["projects"] = [
        {"slug": p.slug, "name": p.name, "kind": p.kind, "summary": p.summary}
        | {
            "implementers": _slugs(p.implementers),
            "countries": _slugs(p.countries, "code"),
            "session": p.session.slug if p.session_id else "",
        }
        | _section_ref(p.section, first)
        | {"quote": p.quote}
        for p in projects
    ]
    return data


STANDALONE_FOLDER = "reports"


def export_bundle(root: Path, progress=None) -> dict:
    """Write the whole knowledge base to ``root`` in the fixtures/ layout; return counts.

    One folder per conference (named by its slug) and ``reports/`` for sources without a
    conference. Organisations and people go in the first folder, every finding and practice in the
    last one, so whatever they refer to is loaded before them."""
    root = Path(root)
    counts = {}
    for filename, data in _vocabulary_files().items():
        _write_json(root / "vocabularies" / filename, data)
    (root / "vocabularies" / "lanzarote_articles.tsv").write_text(_articles_tsv(), encoding="utf-8")
    _write_json(root / "vocabularies" / SUMMARIES_FILE, article_summaries_data())
    _write_json(root / "vocabularies" / THESAURUS_FILE, thesaurus_data())
    folders = _conference_folders(root)
    if not folders:
        return counts
    names = sorted(folders)
    organisations = Organisation.objects.select_related("country").order_by("slug")
    people = Person.objects.select_related("organisation").order_by("slug")
    for name in names:
        conference, documents, projects = folders[name]
        first = name == names[0]
        data = _conference_file(
            conference, documents, projects, organisations if first else (), people if first else ()
        )
        _write_json(root / name / "conference.json", data)
    counts |= {
        "conferences": Conference.objects.count(),
        "source documents": SourceDocument.objects.count(),
        "organisations": organisations.count(),
        "people": people.count(),
        "sessions": Session.objects.count(),
        "projects": Project.objects.count(),
    }
    for kind in KINDS:
        records = entry_records(kind, progress=progress)
        _write_json(root / names[-1] / f"{kind}.json", {kind: records})
        counts[kind] = len(records)
    return counts


def _conference_folders(root: Path) -> dict[str, list]:
    """Folder name -> [conference, its documents, its projects]; writes each source's text file.
    Sources without a conference (and their projects) go to ``reports/``."""
    folders = {}
    for conference in Conference.objects.select_related("country").order_by("slug"):
        folders[conference.slug] = [conference, [], []]
    standalone = [None, [], []]
    for document in SourceDocument.objects.order_by("slug"):
        (folders[document.conference.slug] if document.conference_id else standalone)[1].append(document)
        source_path = root / "sources" / f"{document.slug}.txt"
        source_path.parent.mkdir(parents=True, exist_ok=True)
        with source_path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(document.text)
    if standalone[1]:
        folders[STANDALONE_FOLDER] = standalone
    if not folders:
        return folders
    for project in Project.objects.select_related("section__document__conference", "session__conference"):
        conference = project.session.conference if project.session_id else None
        if conference is None and project.section_id:
            conference = project.section.document.conference
        folder = conference.slug if conference else STANDALONE_FOLDER if standalone[1] else min(folders)
        folders[folder][2].append(project)
    return folders


def zip_folder(folder: Path, destination: Path):
    """Zip ``folder``'s content (paths relative to it), as ``load_kb`` reads it back."""
    with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
