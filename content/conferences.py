"""Reading and writing a conference folder's record: organisations, people, the conference, its
source documents and their sections, sessions and projects."""

from __future__ import annotations

from pathlib import Path

from common.problems import Problems
from content.bundle import Context, RecordReader, read_json
from content.writing import LoadResult, Writer
from kb.models import Conference, Organisation, Person, Project, Section, Session, SourceDocument
from kb.sources import locate_sections, quote_problem


def load_conference(path: Path, root: Path, ctx: Context, problems: Problems, result: LoadResult):
    """One conference folder's ``conference.json``, in dependency order: organisations, people,
    the conference, its sources and their sections, sessions, projects."""
    data = read_json(path, problems)
    if data is None:
        return
    load_organisations(data, path, ctx, problems, result)
    load_people(data, path, ctx, problems, result)
    conference = None
    if data.get("conference") is not None:
        conference = _load_conference_record(data["conference"], f"{path} › conference", ctx, problems, result)
        if conference is None:
            return
    elif data.get("sessions"):
        problems.add(f"{path} › sessions", "sessions need a conference")
    sections_by_code = load_sources(data, path, root, conference, ctx, problems, result)
    if sections_by_code is None:
        return
    load_sessions(data, path, conference, sections_by_code, ctx, problems, result)
    load_projects(data, path, sections_by_code, ctx, problems, result)


def load_organisations(data: dict, path: Path, ctx: Context, problems: Problems, result: LoadResult):
    for index, raw in enumerate(data.get("organisations", []), 1):
        record = RecordReader(raw, f"{path} › organisations[{index}]", problems)
        slug = record.slug()
        values = {
            "name": record.text("name", max_length=300),
            "acronym": record.text("acronym", False, max_length=40),
            "kind": record.choice("kind", Organisation.Kind.choices),
            "country": record.ref("country", ctx.countries, required=False),
        }
        if slug and values["name"] and values["kind"]:
            obj, _ = ctx.writer.upsert(Organisation, {"slug": slug}, values)
            ctx.organisations.add(obj)
            result.counts["organisations"] += 1


def load_people(data: dict, path: Path, ctx: Context, problems: Problems, result: LoadResult):
    for index, raw in enumerate(data.get("people", []), 1):
        record = RecordReader(raw, f"{path} › people[{index}]", problems)
        slug = record.slug()
        values = {
            "name": record.text("name", max_length=200),
            "honorific": record.text("honorific", False, max_length=20),
            "role": record.text("role", False, max_length=300),
            "organisation": record.ref("organisation", ctx.organisations, required=False),
        }
        if slug and values["name"]:
            obj, _ = ctx.writer.upsert(Person, {"slug": slug}, values)
            ctx.people.add(obj)
            result.counts["people"] += 1


def load_sources(data: dict, path: Path, root: Path, conference, ctx: Context, problems: Problems, result: LoadResult):
    """One source ("source") or several ("sources"): the sections of the first one, by code, which
    sessions and projects cite unless they name another source with "source" (None if unreadable)."""
    sources = data.get("sources") if "sources" in data else [data.get("source")]
    if not isinstance(sources, list):
        problems.add(f"{path} › sources", "must be a list")
        return None
    sections_by_code = None if sources else {}
    for index, raw in enumerate(sources, 1):
        where = f"{path} › source" if "source" in data else f"{path} › sources[{index}]"
        by_code = load_source(raw, where, root, conference, ctx, problems, result)
        if index == 1:
            sections_by_code = by_code
    return sections_by_code


def load_sessions(
    data: dict, path: Path, conference, sections_by_code, ctx: Context, problems: Problems, result: LoadResult
):
    for index, raw in enumerate(data.get("sessions", []), 1):
        record = RecordReader(raw, f"{path} › sessions[{index}]", problems)
        slug = record.slug()
        section = _section_ref(record, sections_by_code, ctx)
        values = {
            "conference": conference,
            "kind": record.choice("kind", Session.Kind.choices),
            "title": record.text("title", max_length=300),
            "question": record.text("question", False),
            "summary": record.text("summary", False),
            "order": raw.get("order", index) if isinstance(raw, dict) else index,
            "section": section,
            "region": record.ref("region", ctx.regions, required=False),
        }
        speakers = record.refs("speakers", ctx.people)
        organisations = record.refs("organisations", ctx.organisations)
        regions = record.refs("regions", ctx.regions)
        if slug and values["kind"] and values["title"] and conference is not None:
            session, _ = ctx.writer.upsert(Session, {"slug": slug}, values)
            ctx.session_regions[slug] = regions
            ctx.writer.set_links(session, "regions", regions)
            ctx.writer.set_links(session, "speakers", speakers)
            ctx.writer.set_links(session, "organisations", organisations)
            ctx.sessions.add(session)
            result.counts["sessions"] += 1


def load_projects(data: dict, path: Path, sections_by_code, ctx: Context, problems: Problems, result: LoadResult):
    for index, raw in enumerate(data.get("projects", []), 1):
        record = RecordReader(raw, f"{path} › projects[{index}]", problems)
        slug = record.slug()
        section = _section_ref(record, sections_by_code, ctx)
        quote = record.text("quote", False)
        if quote and section is not None:
            check_quote(record, "quote", quote, section)
        values = {
            "name": record.text("name", max_length=300),
            "kind": record.choice("kind", Project.Kind.choices, default="project"),
            "summary": record.text("summary", False),
            "session": record.ref("session", ctx.sessions, required=False),
            "section": section,
            "quote": quote,
        }
        implementers = record.refs("implementers", ctx.organisations)
        countries = record.refs("countries", ctx.countries)
        if slug and values["name"] and values["kind"]:
            project, _ = ctx.writer.upsert(Project, {"slug": slug}, values)
            ctx.writer.set_links(project, "implementers", implementers)
            ctx.writer.set_links(project, "countries", countries)
            ctx.projects.add(project)
            result.counts["projects"] += 1


def _load_conference_record(raw, where: str, ctx: Context, problems: Problems, result: LoadResult):
    record = RecordReader(raw, where, problems)
    slug = record.slug()
    values = {
        "title": record.text("title", max_length=400),
        "short_title": record.text("short_title", max_length=80),
        "subtitle": record.text("subtitle", False, max_length=400),
        "start_date": record.date("start_date"),
        "end_date": record.date("end_date"),
        "place": record.text("place", max_length=120),
        "country": record.ref("country", ctx.countries, required=False),
        "summary": record.text("summary", False),
    }
    organisers = record.refs("organisers", ctx.organisations)
    rapporteurs = record.refs("rapporteurs", ctx.people)
    if not (slug and all(values[k] for k in ("title", "short_title", "start_date", "end_date", "place"))):
        return None
    conference, _ = ctx.writer.upsert(Conference, {"slug": slug}, values)
    ctx.writer.set_links(conference, "organisers", organisers)
    ctx.writer.set_links(conference, "rapporteurs", rapporteurs)
    ctx.conferences.add(conference)
    result.counts["conferences"] += 1
    return conference


def load_source(raw, where, root: Path, conference, ctx: Context, problems: Problems, result: LoadResult):
    record = RecordReader(raw, where, problems)
    slug = record.slug()
    filename = record.text("file")
    if not (slug and filename):
        return None
    text_path = (root / filename).resolve()
    if root.resolve() not in text_path.parents:
        record.problem("file", f"{filename!r} is outside the fixtures folder")
        return None
    try:
        text = text_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        record.problem("file", f"cannot be read: {exc}")
        return None
    document, _ = ctx.writer.upsert(
        SourceDocument,
        {"slug": slug},
        {
            "title": record.text("title", max_length=400),
            "conference": conference,
            "published": record.text("published", False, max_length=20),
            "url": record.text("url", False),
            "text": text,
        },
    )
    ctx.sources.add(document)
    result.counts["source documents"] += 1

    sections = raw.get("sections", []) if isinstance(raw, dict) else []
    if not sections:
        record.problem("sections", "a source needs at least one section")
        return None
    by_code = save_sections(document, sections, where, problems, ctx.writer)
    ctx.writer.flush()  # the sections are read back by reference (ctx.section)
    result.counts["sections"] += len(by_code)
    ctx.forget_sections()
    return by_code


def save_sections(
    document: SourceDocument, sections: list, where: str, problems: Problems, writer: Writer | None = None
) -> dict[str, Section]:
    """Locate each section's heading in the document text and upsert the sections by code, in
    order. Used by the loader (with its writer) and by the source admin form (written at once)."""
    own_writer = writer is None
    writer = writer or Writer(change_reason="Sections edited")
    offsets = locate_sections(document.text, sections, where, problems)
    by_code: dict[str, Section] = {}
    for index, (section_raw, (start, end)) in enumerate(zip(sections, offsets, strict=True), 1):
        section_record = RecordReader(section_raw, f"{where} › sections[{index}]", problems)
        code = section_record.text("code", max_length=40)
        if code in by_code:
            section_record.problem("code", f"{code!r} is used twice")
            continue
        parent_code = section_record.text("parent", False)
        parent = by_code.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            section_record.problem("parent", f"unknown section {parent_code!r} (parents come first)")
        section, _ = writer.upsert(
            Section,
            {"document": document, "code": code},
            {
                "title": section_record.text("title", max_length=300),
                "heading": section_record.text("heading", max_length=300),
                "parent": parent,
                "order": index,
                "start": start,
                "end": end,
            },
        )
        by_code[code] = section
    if own_writer:
        writer.finish()
    return by_code


def _section_ref(record: RecordReader, sections_by_code: dict[str, Section], ctx: Context):
    code = record.text("section")
    source_slug = record.text("source", False)
    section = ctx.section(source_slug, code) if source_slug else sections_by_code.get(code)
    if code and section is None:
        record.problem("section", f"unknown section {code!r}")
    return section


def check_quote(record: RecordReader, name: str, quote: str, section: Section):
    message = quote_problem(quote, section)
    if message:
        record.problem(name, message)
    return message is None
