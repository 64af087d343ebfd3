"""Queries that connect entries to each other: related entries for a detail page, and an entry's
own classification read from the facet index."""

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.utils.translation import gettext, ngettext

from common.versioning import kept_under_version
from kb.models import Section, Session
from practices.counts import FACET_OF_RELATION, term_bitmaps
from practices.facet_index import FacetIndex, GroupedResults, IndexedResults
from practices.facets import FACETS_BY_NAME, facets_for

# How much one shared term counts towards relatedness. Themes and articles are specific, so they
# weigh more than pillars and regions (four pillars and a "global" region are shared by many).
RELATED_WEIGHTS = {"themes": 2, "articles": 2, "pillars": 1, "regions": 1}
SAME_SESSION_BONUS = 1
# "1 theme", "2 themes": what is shared, in the active language
REASON_WORDS = {
    "themes": lambda count: ngettext("%(count)s theme", "%(count)s themes", count),
    "articles": lambda count: ngettext("%(count)s article", "%(count)s articles", count),
    "pillars": lambda count: ngettext("%(count)s pillar", "%(count)s pillars", count),
    "regions": lambda count: ngettext("%(count)s region", "%(count)s regions", count),
}
# The relations that make an entry a candidate at all (an article alone is not enough).
CANDIDATE_RELATIONS = ("pillars", "themes", "regions")


def related_entries(entry, limit=6):
    """Published entries of the same kind that share a pillar, theme or region with ``entry``,
    best first, ties by title. The score adds the weighted shared themes, articles, pillars and
    regions and a bonus for the same session. Scored over the facet index (a bit-sliced sum of the
    bitmaps of ``entry``'s own terms: well under a millisecond at 100,000 entries), then one query
    for the rows and one for their pillars; ``entry``'s terms come from its prefetched relations."""
    model = type(entry)
    index = FacetIndex.current(model, facets_for(model))
    own = {relation: [str(term.pk) for term in getattr(entry, relation).all()] for relation in RELATED_WEIGHTS}
    bitmaps = {relation: index.bitmaps[FACET_OF_RELATION[relation]] for relation in RELATED_WEIGHTS}
    candidates = 0
    for relation in CANDIDATE_RELATIONS:
        for key in own[relation]:
            candidates |= bitmaps[relation].get(key, 0)
    candidates &= ~(1 << entry.pk)
    if not candidates:
        return []
    weighted = [(bitmaps[r].get(key, 0), weight) for r, weight in RELATED_WEIGHTS.items() for key in own[r]]
    session = index.bitmaps["session"].get(str(entry.session_id), 0)
    weighted.append((session, SAME_SESSION_BONUS))
    top = index.top_scored(weighted, candidates, limit)
    rows = model.objects.in_bulk([entry_id for entry_id, _ in top])
    related = []
    for entry_id, score in top:
        item = rows[entry_id]
        fill_from_index(item, index, ["pillars"])
        for relation in RELATED_WEIGHTS:
            shared = set(index.terms_of(FACET_OF_RELATION[relation], entry_id)).intersection(own[relation])
            setattr(item, f"shared_{relation}", len(shared))
        item.same_session = session >> entry_id & 1
        item.relatedness = score
        item.shared_reasons = relatedness_reasons(item)
        related.append(item)
    return related


def relatedness_reasons(related):
    """What a related entry shares, in words: ``["2 themes", "1 pillar", "the same session"]``."""
    reasons = []
    for relation in RELATED_WEIGHTS:
        count = getattr(related, f"shared_{relation}", 0)
        if count:
            reasons.append(REASON_WORDS[relation](count) % {"count": count})
    if getattr(related, "same_session", 0):
        reasons.append(gettext("the same session"))
    return reasons


def term_relations(model) -> list[str]:
    """The many-to-many relations of ``model`` that are facets (pillars, regions, countries...)."""
    return [facet.field for facet in facets_for(model) if facet.is_many(model)]


def vocabulary_by_key(model, relation) -> dict[str, tuple[int, object]]:
    """Every term ``relation`` can point to (its facet's kept terms, in the order a prefetch gives:
    the term model's default ordering) as ``{key in the facet index: (position, term)}``, kept
    per process under the content version."""
    facet = FACETS_BY_NAME[FACET_OF_RELATION[relation]]
    return kept_under_version(
        ("terms-by-key", facet.name),
        lambda: {str(term.pk): (position, term) for position, term in enumerate(facet.kept_terms())},
    )


def load_vocabularies(model) -> None:
    """Keep every vocabulary of ``model``'s term relations now (a worker's warm-up)."""
    for relation in term_relations(model):
        vocabulary_by_key(model, relation)


def classify_from_index(entry) -> bool:
    """Fill ``entry``'s term relations (``term_relations``) as a prefetch would, from the facet
    index (``fill_from_index``) instead of one query per relation. False, with nothing filled, when
    the entry is not in the index (not published)."""
    model = type(entry)
    index = FacetIndex.current(model, facets_for(model))
    if not index.published >> entry.pk & 1:
        return False
    fill_from_index(entry, index, term_relations(model))
    return True


def fill_from_index(entry, index, relations) -> None:
    """Fill ``entry``'s ``relations`` (facets of ``index``, which holds the entry) as a prefetch
    would, each in its vocabulary's order."""
    for relation in relations:
        by_key = vocabulary_by_key(type(entry), relation)
        found = sorted(by_key[key] for key in index.terms_of(FACET_OF_RELATION[relation], entry.pk) if key in by_key)
        set_prefetched(entry, relation, [term for _, term in found])


def set_prefetched(entry, relation, objects) -> None:
    """``entry.<relation>.all()`` is ``objects`` from now on, as after a prefetch."""
    related = getattr(entry, relation).all()
    related._result_cache, related._prefetch_done = objects, True
    entry.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = related


def has_links(model, relation) -> Exists:
    """Whether an entry has any row under ``relation`` (a many-to-many field, forward or reverse,
    or the reverse of a foreign key), as an expression to annotate the entry's own query with."""
    field = model._meta.get_field(relation)
    if field.many_to_many and not field.auto_created:
        through = field.remote_field.through
        return Exists(through.objects.filter(**{field.m2m_field_name(): OuterRef("pk")}))
    return Exists(field.related_model._base_manager.filter(**{field.field.name: OuterRef("pk")}))


def get_classified(queryset, **lookups):
    """The entry ``queryset.get(**lookups)`` with its term relations from the facet index when it is
    published (``classify_from_index``), else prefetched from the database as ``queryset`` asks.
    The queryset's other prefetches are kept, but a relation the entry has no row under (most
    entries have no implementer, project, related finding or second quote) is known empty from
    an ``EXISTS`` in the entry's own query instead of costing a query of its own."""
    relations = set(term_relations(queryset.model))

    def target(lookup):
        return lookup.prefetch_to if isinstance(lookup, Prefetch) else lookup

    lookups_of_terms = [lookup for lookup in queryset._prefetch_related_lookups if target(lookup) in relations]
    others = [lookup for lookup in queryset._prefetch_related_lookups if target(lookup) not in relations]
    direct = [lookup for lookup in others if "__" not in target(lookup)]
    flags = {f"has_{target(lookup)}": has_links(queryset.model, target(lookup)) for lookup in direct}
    entry = queryset.prefetch_related(None).annotate(**flags).get(**lookups)
    for lookup in direct:
        if not getattr(entry, f"has_{target(lookup)}"):
            set_prefetched(entry, target(lookup), [])
            others.remove(lookup)
    prefetch_related_objects([entry], *others)
    if not classify_from_index(entry):
        prefetch_related_objects([entry], *lookups_of_terms)
    attach_records([entry])
    return entry


# What ``kept_records`` gives an entry: joins a row query need not make.
KEPT_JOINS = {"section": {"parent": {}, "document": {"conference": {}}}, "session": {"conference": {}}}


def rows_from_index(queryset, index):
    """``queryset`` (published entries, all in ``index``) without the prefetches of term relations
    and the joins to sections and sessions it asks for, and a function that gives fetched rows
    those from the facet index (``fill_from_index``) and the kept records (``attach_records``):
    a page of 20 cards in one query instead of three."""
    relations = set(term_relations(queryset.model))
    lookups = queryset._prefetch_related_lookups
    from_index = [lookup for lookup in lookups if isinstance(lookup, str) and lookup in relations]
    rows = queryset.prefetch_related(None).prefetch_related(*[lookup for lookup in lookups if lookup not in from_index])
    joins = queryset.query.select_related
    if isinstance(joins, dict) and is_within(joins, KEPT_JOINS):
        rows = rows.select_related(None)

    def fill(entries):
        for entry in entries:
            fill_from_index(entry, index, from_index)
        attach_records(entries)

    return rows, fill


def newest_published(published, limit: int) -> list:
    """The ``limit`` most recently published of ``published`` (a model's published entries),
    newest first, read off the index's browse order: one query for their rows."""
    index = FacetIndex.current(published.model, facets_for(published.model))
    return IndexedResults(index, index.published, "newest", published)[:limit]


def filed_under_in_order(published, relation: str, term) -> IndexedResults:
    """The entries of ``published`` (a model's published entries, with what their cards show)
    carrying ``term`` under ``relation``, in title order, as a sequence a paginator pages through:
    count and order from the facet index, a page's rows in one query (a term page's lists)."""
    index, matched, rows, fill = filed_under_rows(published, relation, term)
    return IndexedResults(index, matched, "title", rows, fill)


def filed_under_in_source_order(published, relation: str, term) -> GroupedResults:
    """``filed_under_in_order`` in the order of the source: section by section (their order in
    the document), then by id, as ``order_by("section__order", "pk")`` gives within one document."""
    index, matched, rows, fill = filed_under_rows(published, relation, term)
    sections = sorted(kept_records()["section"].values(), key=lambda section: (section.order, section.pk))
    keys = [str(section.pk) for section in sections]
    return GroupedResults(index, matched, FACET_OF_RELATION["section"], keys, rows, fill)


def filed_under_rows(published, relation: str, term) -> tuple:
    """The facet index, the bitmap of the published entries carrying ``term`` under ``relation``,
    and ``rows_from_index``'s rows and fill function for them."""
    index, bitmaps = term_bitmaps(published.model, relation)
    rows, fill = rows_from_index(published, index)
    return index, bitmaps.get(term.pk, 0) & index.published, rows, fill


def is_within(joins: dict, kept: dict) -> bool:
    """Whether every path of ``joins`` (``select_related``'s tree) is one of ``kept``'s."""
    return all(name in kept and is_within(below, kept[name]) for name, below in joins.items())


def kept_records():
    """The record's sections (with their parent, document and conference) and sessions (with
    their conference) by primary key, kept per process under the content version: a few rows per
    conference, which every entry points to."""

    def read():
        sections = Section.objects.select_related("parent", "document__conference").defer("document__text")
        return {"section": sections.in_bulk(), "session": Session.objects.select_related("conference").in_bulk()}

    return kept_under_version(("records", "sections-and-sessions"), read)


def attach_records(entries) -> None:
    """Give each of ``entries`` its section and session from ``kept_records()``, as
    ``select_related`` would: joining those four small tables into the entry's own query cost more
    to plan than to run (2 ms of 2.2 at 100,000 entries). A row the kept records do not hold is
    left to be read when used."""
    records = kept_records()
    for entry in entries:
        for field in ("section", "session"):
            record = records[field].get(getattr(entry, f"{field}_id"))
            if record is not None:
                entry._state.fields_cache[field] = record
