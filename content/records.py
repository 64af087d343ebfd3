"""Validate and write finding and practice records (the JSON shape documented in
fixtures/README.md). Used by the content loader and by imports: references are slugs, ISO codes
and article numbers; every problem is reported with its record and field."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from common.problems import Problems
from content.bundle import Context, RecordReader
from content.conferences import check_quote
from content.writing import LoadResult, RecordAction, set_m2m, upsert
from practices.kinds import BY_PLURAL
from practices.models import Finding, Practice, PracticeQuote, Status


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
        "quote": quote,
        "section": section,
        "session": record.ref("session", ctx.sessions, required=False),
        "status": status,
        "last_verified": record.date("last_verified", required=False),
    }
    if model is Finding:
        values["kind"] = record.choice("kind", Finding.Kind.choices)
    else:
        values |= {
            "description": record.text("description", False),
            "practice_type": record.choice("practice_type", Practice.PracticeType.choices),
            "child_participation": record.choice(
                "child_participation", Practice.ChildParticipation.choices, default="not-stated"
            ),
            "evidence_level": record.choice("evidence_level", Practice.EvidenceLevel.choices, default="practice-based"),
        }
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
    return values, relations


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
    saved = []
    related = []
    outcomes = {}
    numbered = enumerate(records, 1)
    for index, raw in progress(numbered, total=len(records)) if progress else numbered:
        record = RecordReader(raw, label(index), problems)
        slug = record.slug()
        key = f"{kind}:{slug}"
        if slug and key in ctx.entry_slugs:
            record.problem("slug", f"{slug!r} is used twice (first at {ctx.entry_slugs[key]})")
            continue
        ctx.entry_slugs[key] = record.where
        before = len(problems.items)
        values, relations = _entry_values(record, ctx, model)
        extra_quotes = _extra_quotes(record, ctx, record.text("source")) if model is Practice else []
        if len(problems.items) > before:
            continue
        existing = model.objects.filter(slug=slug).first()
        values["published_at"] = _published_at(record, values["status"], existing)
        changed = existing is None or any(getattr(existing, name) != value for name, value in values.items())
        obj, _ = upsert(model, {"slug": slug}, values)
        for name, objs in relations.items():
            changed = set_m2m(obj, name, objs) or changed
        if model is Practice:
            changed = _save_extra_quotes(obj, extra_quotes) or changed
            related.append((obj, record))
        outcomes[obj.pk] = [record.where, obj, "create" if existing is None else "update" if changed else "unchanged"]
        saved.append(obj)
        result.counts[model._meta.verbose_name_plural] += 1
    for practice, record in related:
        findings = []
        for slug in record.data.get("related_findings", []) or []:
            finding = Finding.objects.filter(slug=slug).first()
            if finding is None:
                record.problem("related_findings", f"unknown finding {slug!r}")
            else:
                findings.append(finding)
        if set_m2m(practice, "related_findings", findings) and outcomes[practice.pk][2] == "unchanged":
            outcomes[practice.pk][2] = "update"
    for record_where, obj, action in outcomes.values():
        result.actions.append(RecordAction(record_where, kind, obj.slug, obj.title, action, obj.pk))
    return saved


def _published_at(record: RecordReader, status: str, existing):
    """Keep the first publication time; take the record's own when it gives one (exports do)."""
    given = record.data.get("published_at")
    if given:
        parsed = parse_datetime(str(given))
        if parsed is None:
            record.problem("published_at", f"{given!r} is not a date and time (ISO 8601)")
        return parsed
    if existing is not None and existing.published_at:
        return existing.published_at
    return timezone.now() if status == Status.PUBLISHED else None


def _save_extra_quotes(practice: Practice, quotes) -> bool:
    current = [(q.section_id, q.quote) for q in practice.extra_quotes.all()]
    wanted = [(section.pk, quote) for section, quote in quotes]
    if current == wanted:
        return False
    practice.extra_quotes.all().delete()
    PracticeQuote.objects.bulk_create(
        PracticeQuote(practice=practice, section=section, quote=quote, order=order)
        for order, (section, quote) in enumerate(quotes)
    )
    return True


# --- the other way: entries back to records (exports) -------------------------------------------


def records_queryset(model):
    """Every entry with what ``entry_record`` reads, in a fixed number of queries."""
    queryset = model.objects.with_relations().order_by("slug")
    if model is Practice:
        queryset = queryset.prefetch_related(
            "implementers", "projects", "target_groups", "related_findings", "extra_quotes__section"
        )
    return queryset


def entry_record(entry) -> dict:
    """The record ``load_entries`` reads back into the same entry (fixtures/README.md)."""
    record = {"slug": entry.slug}
    if isinstance(entry, Finding):
        record["kind"] = entry.kind
    record |= {"title": entry.title, "summary": entry.summary}
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
    if isinstance(entry, Practice):
        record |= {
            "practice_type": entry.practice_type,
            "child_participation": entry.child_participation,
            "evidence_level": entry.evidence_level,
        }
    record["status"] = entry.status
    if entry.published_at:
        record["published_at"] = entry.published_at.isoformat()
    if entry.last_verified:
        record["last_verified"] = entry.last_verified.isoformat()
    return record
