"""Validate and write finding and practice records (the JSON shape documented in
fixtures/README.md). Used by the content loader and by imports: references are slugs, ISO codes
and article numbers; every problem is reported with its record and field."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from common.problems import Problems
from content.bundle import Context, RecordReader, describe
from content.conferences import check_quote
from content.tag_rules import check_basis, check_country_regions, check_session_regions
from content.writing import LoadResult, RecordAction, Writer, chunks
from practices.kinds import BY_PLURAL
from practices.models import EVER_PUBLIC, Finding, Practice, PracticeQuote, Status


def _entry_values(record: RecordReader, ctx: Context, model):
    source_slug = record.text("source")
    if source_slug and ctx.sources.get(source_slug) is None:
        record.problem("source", f"unknown source document {source_slug!r}")
    section = None
    code = record.text("section")
    if source_slug and code:
        section = ctx.section(source_slug, code)
        if section is None:
            record.problem("section", f"unknown section {code!r} of {source_slug!r}")
    quote = record.text("quote")
    if quote and section is not None:
        check_quote(record, "quote", quote, section)
    status = record.choice("status", Status.choices, default=Status.DRAFT)
    if status:
        status = ctx.entry_status(model, status, record)
    values = {
        "title": record.text("title", max_length=200),
        "summary": record.text("summary"),
        "title_fr": record.text("title_fr", False, max_length=200),
        "summary_fr": record.text("summary_fr", False),
        "quote": quote,
        "section": section,
        "session": record.ref("session", ctx.sessions, required=False),
        "status": status,
        "last_verified": record.date("last_verified", required=False),
        "tag_exception": record.text("tag_exception", False),
    }
    values |= _finding_values(record) if model is Finding else _practice_values(record)
    relations = _entry_relations(record, ctx, model)
    if model is Finding:
        values["attribution"] = Finding.attribution_text(relations["speakers"], relations["organisations"])
    check_country_regions(record, relations["countries"], relations["regions"])
    if values["session"] is not None:
        session = values["session"]
        check_session_regions(record, session.slug, ctx.regions_of_session(session), relations["regions"])
    return values, relations


def _entry_relations(record: RecordReader, ctx: Context, model) -> dict:
    """The record's many-to-many references, each resolved (a problem filed per unknown one)."""
    relations = {
        "pillars": record.refs("pillars", ctx.pillars, minimum=1),
        "regions": record.refs("regions", ctx.regions, minimum=1),
        "countries": record.refs("countries", ctx.countries),
        "themes": record.refs("themes", ctx.themes),
        "articles": record.refs("articles", ctx.articles),
        "inspire_strategies": record.refs("inspire", ctx.inspire),
    }
    if model is Practice:
        relations |= {
            "implementers": record.refs("implementers", ctx.organisations),
            "projects": record.refs("projects", ctx.projects),
            "target_groups": record.refs("target_groups", ctx.target_groups, minimum=1),
        }
    else:
        relations |= {
            "speakers": record.refs("speakers", ctx.people),
            "organisations": record.refs("organisations", ctx.organisations),
        }
    return relations


def _finding_values(record: RecordReader) -> dict:
    return {"kind": record.choice("kind", Finding.Kind.choices)}


def _practice_values(record: RecordReader) -> dict:
    return {
        "description": record.text("description", False),
        "practice_type": record.choice("practice_type", Practice.PracticeType.choices),
        "child_participation": record.choice(
            "child_participation", Practice.ChildParticipation.choices, default="not-stated"
        ),
        "evidence_level": record.choice("evidence_level", Practice.EvidenceLevel.choices, default="practice-based"),
        "basis": record.choice("basis", Practice.Basis.choices),
        "rating_reason": record.text("rating_reason"),
    }


def _extra_quotes(record: RecordReader, ctx: Context, source_slug: str):
    quotes = []
    raw_quotes = record.data.get("extra_quotes", [])
    if not isinstance(raw_quotes, list):
        record.problem("extra_quotes", "must be a list")
        return quotes
    for index, raw in enumerate(raw_quotes, 1):
        sub = RecordReader(raw, f"{record.where} › extra_quotes[{index}]", record.problems)
        code, quote = sub.text("section"), sub.text("quote")
        section = ctx.section(source_slug, code) if code else None
        if code and section is None:
            sub.problem("section", f"unknown section {code!r} of {source_slug!r}")
        elif section is not None and quote and check_quote(sub, "quote", quote, section):
            quotes.append((section, quote))
    return quotes


def load_entries(
    kind: str,
    records,
    where: str,
    ctx: Context,
    problems: Problems,
    result: LoadResult,
    *,
    label=None,
    progress=None,
):
    """Validate and upsert a list of finding or practice records.

    ``label(index)`` names a record in problems (default ``<where> › <kind>[<index>]``; imports
    use spreadsheet row numbers); ``progress`` wraps the iteration (a tqdm bar on the command
    line). What happened to each record is appended to ``result.actions``."""
    model = BY_PLURAL[kind].model
    if not isinstance(records, list):
        problems.add(where, f'must hold a list under "{kind}"')
        return []
    label = label or (lambda index: f"{where} › {kind}[{index}]")
    writer = ctx.writer
    writer.preload(model, "slug", (raw.get("slug") for raw in records if isinstance(raw, dict) and _is_text(raw)))
    saved = []  # (record, entry, extra quotes)
    numbered = enumerate(records, 1)
    for index, raw in progress(numbered, total=len(records)) if progress else numbered:
        record = RecordReader(raw, label(index), problems)
        entry = _write_entry(record, kind, model, ctx)
        if entry is not None:
            saved.append(entry)
            result.counts[model._meta.verbose_name_plural] += 1
    writer.flush()
    if model is Practice:
        _write_extra_quotes(writer, [(entry, quotes) for _, entry, quotes in saved])
        _link_related_findings(writer, [(record, entry) for record, entry, _ in saved])
        writer.flush()
    for record, entry, _ in saved:
        result.actions.append(
            RecordAction(record.where, kind, entry.slug, entry.title, writer.outcome(entry), entry.pk)
        )
    return [entry for _, entry, _ in saved]


def _is_text(raw: dict) -> bool:
    return _is_key(raw.get("slug"))


def _write_entry(record: RecordReader, kind: str, model, ctx: Context):
    """Validate one record and record its writes: ``(record, entry, extra quotes)``, or None when
    the record has problems (they are filed)."""
    slug = record.slug()
    key = f"{kind}:{slug}"
    if slug and key in ctx.entry_slugs:
        record.problem("slug", f"{slug!r} is used twice (first at {ctx.entry_slugs[key]})")
        return None
    ctx.entry_slugs[key] = record.where
    before = len(record.problems.items)
    values, relations = _entry_values(record, ctx, model)
    extra_quotes = _extra_quotes(record, ctx, record.text("source")) if model is Practice else []
    if model is Practice:
        check_basis(record, values["basis"], [values["quote"], *(quote for _, quote in extra_quotes)])
    if len(record.problems.items) > before:
        return None
    existing = ctx.writer.existing(model, {"slug": slug})
    values["published_at"] = _published_at(record, values["status"], existing)
    values["first_published_at"] = _first_published_at(record, values, existing)
    entry, _ = ctx.writer.upsert(model, {"slug": slug}, values)
    for name, targets in relations.items():
        ctx.writer.set_links(entry, name, targets)
    return record, entry, extra_quotes


def _link_related_findings(writer: Writer, practices):
    """Practices cite findings by slug; the findings may come earlier in the same run."""
    slugs = {slug for record, _ in practices for slug in _related_slugs(record, report=False) if _is_key(slug)}
    found = {}
    for chunk in chunks(sorted(slugs)):
        found |= dict(Finding.objects.filter(slug__in=chunk).values_list("slug", "pk"))
    for record, practice in practices:
        targets = []
        for slug in _related_slugs(record):
            if not _is_key(slug) or slug not in found:
                record.problem("related_findings", f"unknown finding {describe(slug)}")
            else:
                targets.append(found[slug])
        writer.set_links(practice, "related_findings", targets)


def _is_key(value) -> bool:
    return isinstance(value, str) and "\x00" not in value


def _related_slugs(record: RecordReader, report=True) -> list:
    value = record.data.get("related_findings") or []
    if not isinstance(value, list):
        if report:
            record.problem("related_findings", "must be a list")
        return []
    return value


def _published_at(record: RecordReader, status: str, existing):
    """Keep the first publication time; take the record's own when it gives one (exports do)."""
    given = record.data.get("published_at")
    if given:
        try:
            parsed = parse_datetime(given) if isinstance(given, str) and "\x00" not in given else None
        except ValueError:  # well formed but impossible, e.g. month 13
            parsed = None
        if parsed is None:
            record.problem("published_at", f"{given!r} is not a date and time (ISO 8601)")
        return parsed
    if existing is not None and existing.published_at:
        return existing.published_at
    return timezone.now() if status == Status.PUBLISHED else None


def _first_published_at(record: RecordReader, values: dict, existing):
    """Once public, always known to have been (the model's ``save`` does the same; rows here are
    bulk-written): kept, or the record's own (exports write it), or the publication time."""
    if existing is not None and existing.first_published_at:
        return existing.first_published_at
    given = record.data.get("first_published_at")
    if given:
        parsed = parse_datetime(str(given))
        if parsed is None:
            record.problem("first_published_at", f"{given!r} is not a date and time (ISO 8601)")
        return parsed
    return (values["published_at"] or timezone.now()) if values["status"] in EVER_PUBLIC else None


def _write_extra_quotes(writer: Writer, practices):
    """Each practice's extra quotes, by position: changed ones updated, surplus ones deleted."""
    current: dict[int, list[PracticeQuote]] = {}
    for chunk in chunks([practice.pk for practice, _ in practices]):
        for quote in PracticeQuote.objects.filter(practice__in=chunk).order_by("order", "pk"):
            current.setdefault(quote.practice_id, []).append(quote)
    surplus = []
    for practice, quotes in practices:
        have = current.get(practice.pk, [])
        for order, (section, quote) in enumerate(quotes):
            values = {"practice": practice, "section": section, "quote": quote, "order": order}
            if order >= len(have):
                writer.create(PracticeQuote, values)
                writer.mark_changed(practice)
            elif writer.update(have[order], values):
                writer.mark_changed(practice)
        if len(have) > len(quotes):
            surplus += have[len(quotes) :]
            writer.mark_changed(practice)
    writer.delete(surplus)


# --- the other way: entries back to records (exports) -------------------------------------------


def records_queryset(model):
    """Every entry with what ``entry_record`` reads, in a fixed number of queries."""
    queryset = model.objects.with_relations().order_by("slug")
    if model is Practice:
        queryset = queryset.prefetch_related(
            "implementers", "projects", "target_groups", "related_findings", "extra_quotes__section"
        )
    else:
        queryset = queryset.prefetch_related("speakers", "organisations")
    return queryset


def entry_record(entry) -> dict:
    """The record ``load_entries`` reads back into the same entry (fixtures/README.md)."""
    record = {"slug": entry.slug}
    if isinstance(entry, Finding):
        record["kind"] = entry.kind
    record |= {"title": entry.title, "summary": entry.summary}
    record |= {name: getattr(entry, name) for name in ("title_fr", "summary_fr") if getattr(entry, name)}
    if isinstance(entry, Practice):
        record["description"] = entry.description
    record |= {
        "source": entry.section.document.slug,
        "section": entry.section.code,
        "session": entry.session.slug if entry.session_id else "",
        "quote": entry.quote,
    }
    if isinstance(entry, Practice):
        record |= {
            "extra_quotes": [{"section": q.section.code, "quote": q.quote} for q in entry.extra_quotes.all()],
            "implementers": sorted(o.slug for o in entry.implementers.all()),
            "projects": sorted(p.slug for p in entry.projects.all()),
            "related_findings": sorted(f.slug for f in entry.related_findings.all()),
            "target_groups": sorted(t.slug for t in entry.target_groups.all()),
        }
    record |= {
        "pillars": sorted(p.slug for p in entry.pillars.all()),
        "regions": sorted(r.slug for r in entry.regions.all()),
        "countries": sorted(c.code for c in entry.countries.all()),
        "themes": sorted(t.slug for t in entry.themes.all()),
        "articles": sorted(a.number for a in entry.articles.all()),
        "inspire": sorted(s.slug for s in entry.inspire_strategies.all()),
    }
    record |= _own_record_fields(entry)
    if entry.tag_exception:
        record["tag_exception"] = entry.tag_exception
    record["status"] = entry.status
    if entry.published_at:
        record["published_at"] = entry.published_at.isoformat()
    if entry.first_published_at:
        record["first_published_at"] = entry.first_published_at.isoformat()
    if entry.last_verified:
        record["last_verified"] = entry.last_verified.isoformat()
    return record


def _own_record_fields(entry) -> dict:
    """What only a practice (its rating) or only a finding (who said it) records."""
    if isinstance(entry, Practice):
        return {
            "practice_type": entry.practice_type,
            "child_participation": entry.child_participation,
            "evidence_level": entry.evidence_level,
            "basis": entry.basis,
            "rating_reason": entry.rating_reason,
        }
    return {
        "speakers": sorted(p.slug for p in entry.speakers.all()),
        "organisations": sorted(o.slug for o in entry.organisations.all()),
    }
