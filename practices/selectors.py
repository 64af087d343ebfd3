"""Queries that connect entries to each other: related entries for a detail page."""

from django.db import connection
from django.utils.translation import gettext, ngettext

from practices.models import Finding, Practice, Status, published_link_count

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


def shared_term_rows(model, relation, term_ids):
    """SQL and params: one row per (entry, shared term) of ``relation``, read from its through
    table's index on the term column, tagged with the relation's position."""
    field = model._meta.get_field(relation)
    through = field.remote_field.through._meta
    quote = connection.ops.quote_name
    entry_column = quote(through.get_field(field.m2m_field_name()).column)
    term_column = quote(through.get_field(field.m2m_reverse_field_name()).column)
    columns = ", ".join(f"{1 if other == relation else 0} AS c{i}" for i, other in enumerate(RELATED_WEIGHTS))
    placeholders = ", ".join(["%s"] * len(term_ids))
    sql = f"SELECT {entry_column} AS entry_id, {columns}, 0 AS same FROM {quote(through.db_table)} "
    sql += f"WHERE {term_column} IN ({placeholders})"
    return sql, list(term_ids)


def related_scores(entry, term_ids, limit):
    """``[(entry, {relation: shared count}, same session)]``, best first, with their pillars: the score is summed
    over the through-table rows of ``entry``'s own terms (and its session's entries) only, so the
    cost follows how many entries share a term, never a scan of the catalogue with a subquery
    per row."""
    model, quote = type(entry), connection.ops.quote_name
    parts, params = [], []
    for relation, ids in term_ids.items():
        if ids:
            sql, more = shared_term_rows(model, relation, ids)
            parts.append(sql)
            params += more
    table = quote(model._meta.db_table)
    if entry.session_id:
        zeros = ", ".join(f"0 AS c{i}" for i in range(len(RELATED_WEIGHTS)))
        parts.append(f"SELECT id AS entry_id, {zeros}, 1 AS same FROM {table} WHERE session_id = %s AND status = %s")
        params += [entry.session_id, Status.PUBLISHED]
    names = [f"r{i}" for i in range(len(RELATED_WEIGHTS))]
    sums = ", ".join(f"SUM(c{i}) AS {name}" for i, name in enumerate(names))
    candidate = " + ".join(f"SUM(c{list(RELATED_WEIGHTS).index(r)})" for r in CANDIDATE_RELATIONS)
    weighted = zip(range(len(RELATED_WEIGHTS)), RELATED_WEIGHTS.values(), strict=True)
    score = " + ".join(f"{weight} * SUM(c{i})" for i, weight in weighted) + f" + {SAME_SESSION_BONUS} * MAX(same)"
    # Scored over the links alone (published: not among the few unpublished ids); only the entries
    # scoring at least the limit-th best score (ties included) are read from the entries' table,
    # which then orders them by title.
    sql = (
        f"WITH s AS (SELECT entry_id, {sums}, MAX(same) AS same, {score} AS score FROM ("
        + " UNION ALL ".join(parts)
        + f") AS u WHERE entry_id <> %s AND NOT entry_id IN (SELECT id FROM {table} WHERE NOT status = %s) "
        f"GROUP BY entry_id HAVING {candidate} > 0), "
        "best AS (SELECT score FROM s ORDER BY score DESC LIMIT 1 OFFSET %s) "
        f"SELECT e.*, {', '.join('s.' + n for n in names)}, s.same FROM s JOIN {table} AS e ON e.id = s.entry_id "
        "WHERE s.score >= COALESCE((SELECT score FROM best), 0) ORDER BY s.score DESC, e.title ASC LIMIT %s"
    )
    params += [entry.pk, Status.PUBLISHED, limit - 1, limit]
    rows = model.objects.raw(sql, params).prefetch_related("pillars")
    return [
        (row, {r: getattr(row, name) for r, name in zip(RELATED_WEIGHTS, names, strict=True)}, row.same) for row in rows
    ]


def related_entries(entry, limit=6):
    """Published entries of the same kind that share a pillar, theme or region with ``entry``,
    best first. The score adds the weighted shared themes, articles, pillars and regions and a
    bonus for the same session. Two queries (the scored entries, then their pillars), whose
    cost follows the entries sharing ``entry``'s terms; its own terms come from its prefetched
    relations."""
    term_ids = {relation: [term.pk for term in getattr(entry, relation).all()] for relation in RELATED_WEIGHTS}
    if not any(term_ids[relation] for relation in CANDIDATE_RELATIONS):
        return []
    related = []
    for item, shared, same in related_scores(entry, term_ids, limit):
        for relation, count in shared.items():
            setattr(item, f"shared_{relation}", int(count or 0))
        item.same_session = int(same or 0)
        item.relatedness = (
            sum(RELATED_WEIGHTS[r] * getattr(item, f"shared_{r}") for r in RELATED_WEIGHTS)
            + item.same_session * SAME_SESSION_BONUS
        )
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


def published_entry_tallies(relation, **filters):
    """The one rule for counts on public term pages: annotations giving each row of a vocabulary
    queryset the number of *published* practices and findings carrying it under ``relation`` (and
    matching ``filters``). Drafts, entries in review, archived and returned entries tagged with a
    term never change its counts. Their sum is added in Python where a page shows it: as an
    annotation, SQL would count both again."""
    return {
        "practice_count": published_link_count(Practice, relation, **filters),
        "finding_count": published_link_count(Finding, relation, **filters),
    }
