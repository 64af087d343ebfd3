"""Validate and write finding and practice records (the JSON shape documented in
fixtures/README.md). Used by the content loader and by imports: references are slugs, ISO codes
and article numbers; every problem is reported with its record and field."""

from __future__ import annotations

from django.utils import timezone

from kb.loader import Context, LoadResult, Problems, RecordReader, check_quote, set_m2m, upsert
from practices.models import Finding, Practice, PracticeQuote, Status

ENTRY_MODELS = {"findings": Finding, "practices": Practice}


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
    values = {
        "title": record.text("title", max_length=200),
        "summary": record.text("summary"),
        "quote": quote,
        "section": section,
        "session": record.ref("session", ctx.sessions),
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


def load_entries(kind: str, records, where: str, ctx: Context, problems: Problems, result: LoadResult):
    """Validate and upsert a list of finding or practice records."""
    model = ENTRY_MODELS[kind]
    if not isinstance(records, list):
        problems.add(where, f'must hold a list under "{kind}"')
        return []
    saved = []
    related = []
    for index, raw in enumerate(records, 1):
        record = RecordReader(raw, f"{where} › {kind}[{index}]", problems)
        slug = record.slug()
        label = f"{kind}:{slug}"
        if slug and label in ctx.entry_slugs:
            record.problem("slug", f"{slug!r} is used twice (first at {ctx.entry_slugs[label]})")
            continue
        ctx.entry_slugs[label] = record.where
        before = len(problems.items)
        values, relations = _entry_values(record, ctx, model)
        extra_quotes = _extra_quotes(record, ctx, record.text("source")) if model is Practice else []
        if len(problems.items) > before:
            continue
        existing = model.objects.filter(slug=slug).only("status", "published_at").first()
        if values["status"] == Status.PUBLISHED:
            already = existing and existing.status == Status.PUBLISHED and existing.published_at
            values["published_at"] = existing.published_at if already else timezone.now()
        obj, _ = upsert(model, {"slug": slug}, values)
        for name, objs in relations.items():
            set_m2m(obj, name, objs)
        if model is Practice:
            _save_extra_quotes(obj, extra_quotes)
            related.append((obj, record))
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
        set_m2m(practice, "related_findings", findings)
    return saved


def _save_extra_quotes(practice: Practice, quotes):
    current = [(q.section_id, q.quote) for q in practice.extra_quotes.all()]
    wanted = [(section.pk, quote) for section, quote in quotes]
    if current == wanted:
        return
    practice.extra_quotes.all().delete()
    PracticeQuote.objects.bulk_create(
        PracticeQuote(practice=practice, section=section, quote=quote, order=order)
        for order, (section, quote) in enumerate(quotes)
    )
