"""Load the content bundle (fixtures/) into the database: vocabularies, sources, conferences,
findings and practices.

Everything happens in one transaction. Every record is validated and every problem collected
(file, record, field, reason); if there is any, the transaction is rolled back and
``ContentError`` lists them all, so a broken bundle changes nothing. Records are upserted by their
natural key (slug, ISO code, article number), so loading twice is a no-op.
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from kb.models import Conference, Organisation, Person, Project, Section, Session, SourceDocument
from kb.text import normalise_for_quote
from taxonomy.models import (
    ConventionArticle,
    Country,
    InspireStrategy,
    Pillar,
    Region,
    TargetGroup,
    Theme,
)


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}"


class ContentError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the content; nothing was loaded.")

    def report(self) -> str:
        return "\n".join([str(self)] + [f"  - {problem}" for problem in self.problems])


class _Rollback(Exception):
    pass


@dataclass(frozen=True)
class RecordAction:
    """What writing one record did: "create", "update" or "unchanged"."""

    where: str
    kind: str
    slug: str
    title: str
    action: str
    pk: int | None = None


@dataclass
class LoadResult:
    counts: Counter = field(default_factory=Counter)
    actions: list[RecordAction] = field(default_factory=list)


class Problems:
    """Collects problems while a bundle is checked, so one run reports all of them."""

    def __init__(self):
        self.items: list[Problem] = []

    def add(self, where: str, message: str):
        self.items.append(Problem(where, message))

    def __bool__(self):
        return bool(self.items)


def read_json(path: Path, problems: Problems) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(str(path), f"cannot be read: {exc}")
        return None
    except json.JSONDecodeError as exc:
        problems.add(f"{path}, line {exc.lineno}, column {exc.colno}", f"is not valid JSON: {exc.msg}")
        return None
    if not isinstance(data, dict):
        problems.add(str(path), "must hold a JSON object at its top level")
        return None
    return data


class Lookup:
    """Resolves references (slugs, codes, numbers) to model instances, with one query per model."""

    def __init__(self, model, key: str):
        self.model = model
        self.key = key
        self.refresh()

    def refresh(self):
        self.by_key = {getattr(obj, self.key): obj for obj in self.model.objects.all()}

    def add(self, obj):
        self.by_key[getattr(obj, self.key)] = obj

    def get(self, value):
        return self.by_key.get(value)


class Context:
    """What a record may refer to: the vocabularies and the conference record, kept current as the
    bundle is written."""

    def __init__(self):
        self.pillars = Lookup(Pillar, "slug")
        self.regions = Lookup(Region, "slug")
        self.countries = Lookup(Country, "code")
        self.themes = Lookup(Theme, "slug")
        self.target_groups = Lookup(TargetGroup, "slug")
        self.inspire = Lookup(InspireStrategy, "slug")
        self.articles = Lookup(ConventionArticle, "number")
        self.organisations = Lookup(Organisation, "slug")
        self.people = Lookup(Person, "slug")
        self.sources = Lookup(SourceDocument, "slug")
        self.sessions = Lookup(Session, "slug")
        self.projects = Lookup(Project, "slug")
        self.conferences = Lookup(Conference, "slug")
        self.entry_slugs: dict[str, str] = {}

    def entry_status(self, model, requested: str, record: RecordReader) -> str:
        """The status an entry is saved with. The content bundle is trusted as written; imports
        override this (kb.importing.ImportContext) to apply the importing user's rights."""
        return requested

    def section(self, source_slug: str, code: str) -> Section | None:
        if not hasattr(self, "_sections"):
            self._sections = {(s.document.slug, s.code): s for s in Section.objects.select_related("document")}
        return self._sections.get((source_slug, code))

    def forget_sections(self):
        self.__dict__.pop("_sections", None)


class RecordReader:
    """Typed access to one JSON record that files a Problem for each bad field."""

    def __init__(self, data, where: str, problems: Problems):
        self.data = data if isinstance(data, dict) else {}
        self.where = where
        self.problems = problems
        if not isinstance(data, dict):
            problems.add(where, "must be a JSON object")

    def problem(self, name, message):
        self.problems.add(f"{self.where} › {name}", message)

    def text(self, name, required=True, max_length=None):
        value = self.data.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problem(name, "must be text")
            return ""
        value = value.strip()
        if required and not value:
            self.problem(name, "is required")
        if max_length and len(value) > max_length:
            self.problem(name, f"is {len(value)} characters long; at most {max_length} allowed")
        return value

    def slug(self, name="slug"):
        value = self.text(name)
        if value and not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
            self.problem(name, f"{value!r} is not a slug (lowercase letters, digits and hyphens)")
        return value

    def choice(self, name, choices, default=None):
        value = self.data.get(name, default)
        valid = [c for c, _ in choices]
        if value not in valid:
            self.problem(name, f"{value!r} is not one of: {', '.join(valid)}")
            return None
        return value

    def date(self, name, required=True):
        value = self.data.get(name)
        if value in (None, ""):
            if required:
                self.problem(name, "is required (YYYY-MM-DD)")
            return None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.problem(name, f"{value!r} is not a date (YYYY-MM-DD)")
            return None

    def ref(self, name, lookup: Lookup, required=True):
        value = self.data.get(name)
        if value in (None, ""):
            if required:
                self.problem(name, "is required")
            return None
        obj = lookup.get(value)
        if obj is None:
            self.problem(name, f"unknown {lookup.model._meta.verbose_name} {value!r}")
        return obj

    def refs(self, name, lookup: Lookup, minimum=0):
        values = self.data.get(name, [])
        if not isinstance(values, list):
            self.problem(name, "must be a list")
            return []
        found = []
        for value in values:
            obj = lookup.get(value)
            if obj is None:
                self.problem(name, f"unknown {lookup.model._meta.verbose_name} {value!r}")
            elif obj not in found:
                found.append(obj)
        if len(values) < minimum:
            self.problem(name, f"needs at least {minimum} value(s)")
        return found


def upsert(model, key: dict, values: dict):
    """update_or_create that writes only when something changed, so a reload touches nothing."""
    obj = model.objects.filter(**key).first()
    if obj is None:
        return model.objects.create(**key, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    return obj, False


def set_m2m(obj, name, values) -> bool:
    """Set a many-to-many relation only if it differs; say whether it did."""
    manager = getattr(obj, name)
    if set(manager.values_list("pk", flat=True)) != {v.pk for v in values}:
        manager.set(values)
        return True
    return False


# --- vocabularies -----------------------------------------------------------------------------


def load_vocabularies(directory: Path, ctx: Context, problems: Problems, result: LoadResult):
    simple = [
        ("pillars.json", "pillars", Pillar, ctx.pillars),
        ("regions.json", "regions", Region, ctx.regions),
        ("themes.json", "themes", Theme, ctx.themes),
        ("target_groups.json", "target_groups", TargetGroup, ctx.target_groups),
        ("inspire.json", "inspire_strategies", InspireStrategy, ctx.inspire),
    ]
    for filename, key, model, lookup in simple:
        path = directory / filename
        data = read_json(path, problems)
        if data is None:
            continue
        for index, raw in enumerate(data.get(key, []), 1):
            record = RecordReader(raw, f"{path} › {key}[{index}]", problems)
            slug = record.slug()
            values = {"name": record.text("name", max_length=200), "description": record.text("description", False)}
            if model is Pillar:
                values |= {
                    "order": raw.get("order", 0),
                    "definition": record.text("definition"),
                    "source_quote": record.text("quote", False),
                }
            elif model is Region:
                values["order"] = raw.get("order", 0)
            elif model is InspireStrategy:
                values |= {
                    "letter": record.text("letter", False, max_length=1),
                    "cross_cutting": bool(raw.get("cross_cutting", False)),
                    "order": raw.get("order", 0),
                }
            if slug and values["name"]:
                obj, _ = upsert(model, {"slug": slug}, values)
                lookup.add(obj)
                result.counts[model._meta.verbose_name_plural] += 1

    path = directory / "countries.json"
    data = read_json(path, problems)
    if data is not None:
        for index, raw in enumerate(data.get("countries", []), 1):
            record = RecordReader(raw, f"{path} › countries[{index}]", problems)
            code = record.text("code")
            if code and not re.fullmatch(r"[A-Z]{2}", code):
                record.problem("code", f"{code!r} is not an ISO 3166-1 alpha-2 code")
                continue
            region = record.ref("region", ctx.regions, required=False)
            name = record.text("name")
            if code and name:
                obj, _ = upsert(Country, {"code": code}, {"name": name, "region": region})
                ctx.countries.add(obj)
                result.counts["countries"] += 1

    path = directory / "lanzarote_articles.tsv"
    try:
        rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    except OSError as exc:
        problems.add(str(path), f"cannot be read: {exc}")
        rows = []
    for line, row in enumerate(rows, 2):
        where = f"{path}, line {line}"
        try:
            number = int(row["number"])
        except (KeyError, TypeError, ValueError):
            problems.add(where, f"article number {row.get('number')!r} is not a whole number")
            continue
        pillar = None
        if row.get("pillar"):
            pillar = ctx.pillars.get(row["pillar"])
            if pillar is None:
                problems.add(where, f"unknown pillar {row['pillar']!r}")
                continue
        obj, _ = upsert(
            ConventionArticle,
            {"number": number},
            {
                "title": row.get("title", "").strip(),
                "chapter": row.get("chapter", "").strip(),
                "chapter_title": row.get("chapter_title", "").strip(),
                "pillar": pillar,
            },
        )
        ctx.articles.add(obj)
        result.counts["convention articles"] += 1


# --- conferences ------------------------------------------------------------------------------


def locate_sections(text: str, sections: list[dict], where: str, problems: Problems) -> list[tuple[int, int]]:
    """Find each section's heading, as a line of its own, in document order."""
    offsets = []
    position = 0
    for index, section in enumerate(sections, 1):
        heading = str(section.get("heading", "")).strip()
        pattern = re.compile(rf"^{re.escape(heading)}[ \t]*$", re.MULTILINE)
        match = pattern.search(text, position) if heading else None
        if match is None:
            problems.add(
                f"{where} › sections[{index}] › heading",
                f"{heading!r} is not found as a line of its own after the previous section",
            )
            offsets.append((position, position))
            continue
        offsets.append((match.start(), match.start()))
        position = match.end()
    return [(start, offsets[i + 1][0] if i + 1 < len(offsets) else len(text)) for i, (start, _) in enumerate(offsets)]


def load_conference(path: Path, root: Path, ctx: Context, problems: Problems, result: LoadResult):
    data = read_json(path, problems)
    if data is None:
        return

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
            obj, _ = upsert(Organisation, {"slug": slug}, values)
            ctx.organisations.add(obj)
            result.counts["organisations"] += 1

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
            obj, _ = upsert(Person, {"slug": slug}, values)
            ctx.people.add(obj)
            result.counts["people"] += 1

    conference = None
    if data.get("conference") is not None:
        conference = _load_conference_record(data["conference"], f"{path} › conference", ctx, problems, result)
        if conference is None:
            return
    elif data.get("sessions"):
        problems.add(f"{path} › sessions", "sessions need a conference")

    # One source ("source") or several ("sources"); sessions and projects cite sections of the
    # first one unless they name another with "source".
    sources = data.get("sources") if "sources" in data else [data.get("source")]
    if not isinstance(sources, list):
        problems.add(f"{path} › sources", "must be a list")
        return
    sections_by_code = None if sources else {}
    for index, raw in enumerate(sources, 1):
        where = f"{path} › source" if "source" in data else f"{path} › sources[{index}]"
        by_code = load_source(raw, where, root, conference, ctx, problems, result)
        if index == 1:
            sections_by_code = by_code
    if sections_by_code is None:
        return

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
        if slug and values["kind"] and values["title"] and conference is not None:
            session, _ = upsert(Session, {"slug": slug}, values)
            set_m2m(session, "speakers", speakers)
            set_m2m(session, "organisations", organisations)
            ctx.sessions.add(session)
            result.counts["sessions"] += 1

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
            project, _ = upsert(Project, {"slug": slug}, values)
            set_m2m(project, "implementers", implementers)
            set_m2m(project, "countries", countries)
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
    conference, _ = upsert(Conference, {"slug": slug}, values)
    set_m2m(conference, "organisers", organisers)
    set_m2m(conference, "rapporteurs", rapporteurs)
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
    document, _ = upsert(
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
    by_code = save_sections(document, sections, where, problems)
    result.counts["sections"] += len(by_code)
    ctx.forget_sections()
    return by_code


def save_sections(document: SourceDocument, sections: list, where: str, problems: Problems) -> dict[str, Section]:
    """Locate each section's heading in the document text and upsert the sections by code, in
    order. Used by the loader and by the source admin form."""
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
        section, _ = upsert(
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
    return by_code


def _section_ref(record: RecordReader, sections_by_code: dict[str, Section], ctx: Context):
    code = record.text("section")
    source_slug = record.text("source", False)
    section = ctx.section(source_slug, code) if source_slug else sections_by_code.get(code)
    if code and section is None:
        record.problem("section", f"unknown section {code!r}")
    return section


def quote_problem(quote: str, section: Section) -> str | None:
    """Why ``quote`` is not a verbatim passage of ``section`` (None when it is)."""
    needle = normalise_for_quote(quote)
    if needle and needle in normalise_for_quote(section.document.text[section.start : section.end]):
        return None
    if section.document.contains_quote(quote):
        return f"is in {section.document.slug} but not in its section {section.code!r}"
    return f"not found in source {section.document.slug!r}: {quote[:70]!r}…"


def check_quote(record: RecordReader, name: str, quote: str, section: Section):
    message = quote_problem(quote, section)
    if message:
        record.problem(name, message)
    return message is None


# --- the bundle -------------------------------------------------------------------------------


def conference_folders(root: Path):
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "conference.json").exists())


def load_bundle(root: Path, *, dry_run: bool = False) -> LoadResult:
    """Load (or with ``dry_run`` only check) the whole bundle at ``root`` (a folder, or a zip of
    one as ``export_kb``/``backup`` write); raise ContentError."""
    from practices.records import load_entries

    root = Path(root)
    if root.is_file() and zipfile.is_zipfile(root):
        with tempfile.TemporaryDirectory() as folder:
            with zipfile.ZipFile(root) as archive:
                archive.extractall(folder)
            return load_bundle(Path(folder), dry_run=dry_run)
    problems = Problems()
    result = LoadResult()
    if not root.is_dir():
        raise ContentError([Problem(str(root), "is not a folder")])
    try:
        with transaction.atomic():
            ctx = Context()
            load_vocabularies(root / "vocabularies", ctx, problems, result)
            for folder in conference_folders(root):
                load_conference(folder / "conference.json", root, ctx, problems, result)
                for kind in ("findings", "practices"):
                    for path in sorted(folder.glob(f"{kind}*.json")):
                        data = read_json(path, problems)
                        if data is not None:
                            load_entries(kind, data.get(kind), str(path), ctx, problems, result)
            if problems or dry_run:
                raise _Rollback
    except _Rollback:
        if problems:
            raise ContentError(problems.items) from None
    return result
