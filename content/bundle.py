"""Reading a content bundle: JSON files, typed access to each record with a problem filed per bad
field, and the references (slugs, codes, numbers) a record may make."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from common.problems import Problems
from common.text import did_you_mean
from content.writing import Writer
from kb.models import Conference, Organisation, Person, Project, Section, Session, SourceDocument
from taxonomy.models import ConventionArticle, Country, InspireStrategy, Pillar, Region, TargetGroup, Theme


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
        """The instance ``value`` refers to, or None (also for a value that cannot be a reference:
        a list or object where a slug, code or number is expected)."""
        if not isinstance(value, str | int) or isinstance(value, bool):
            return None
        return self.by_key.get(value)

    def suggest(self, value) -> str:
        """' Did you mean "x"?' for a value close to a known key or name, else ""."""
        if not isinstance(value, str | int) or isinstance(value, bool):
            return ""
        return did_you_mean(value, {key: str(obj) for key, obj in self.by_key.items()})


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
        self.session_regions: dict[str, list] = {}  # the regions of each session loaded in this run
        self.writer = Writer()

    def regions_of_session(self, session) -> list:
        """A session's regions: as this run loaded them, else as stored (imports)."""
        if session.slug not in self.session_regions:
            self.session_regions[session.slug] = list(session.regions.all()) if session.pk else []
        return self.session_regions[session.slug]

    def entry_status(self, model, requested: str, record: RecordReader) -> str:
        """The status an entry is saved with. The content bundle is trusted as written; imports
        override this (content.importing.ImportContext) to apply the importing user's rights."""
        return requested

    def section(self, source_slug: str, code: str) -> Section | None:
        if not hasattr(self, "_sections"):
            self._sections = {(s.document.slug, s.code): s for s in Section.objects.select_related("document")}
        return self._sections.get((source_slug, code))

    def forget_sections(self):
        self.__dict__.pop("_sections", None)


# The longest text an imported field may hold (a summary or description is a few thousand).
MAX_TEXT_CHARS = 100_000


def describe(value) -> str:
    """A bad value for a problem message: its repr, shortened, or its type for lists and objects."""
    if isinstance(value, dict | list):
        return f"a {'JSON object' if isinstance(value, dict) else 'list'}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


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
        if "\x00" in value:
            self.problem(name, "contains a NUL character (\\x00), which cannot be stored")
            return ""
        if len(value) > MAX_TEXT_CHARS:
            self.problem(name, f"is {len(value)} characters long; at most {MAX_TEXT_CHARS} allowed")
            return ""
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
        if not isinstance(value, str) or value not in valid:
            given = "is required; it is one of" if value in (None, "") else f"{describe(value)} is not one of"
            hint = did_you_mean(value, dict(choices)) if isinstance(value, str) else ""
            self.problem(name, f"{given}: {', '.join(valid)}{hint}")
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
            self.problem(name, f"unknown {lookup.model._meta.verbose_name} {describe(value)}{lookup.suggest(value)}")
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
                unknown = f"unknown {lookup.model._meta.verbose_name} {describe(value)}"
                self.problem(name, unknown + lookup.suggest(value))
            elif obj not in found:
                found.append(obj)
        if len(values) < minimum:
            self.problem(name, f"needs at least {minimum} value(s)")
        return found
