"""Queries that connect entries to each other: related entries for a detail page."""

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, ngettext

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


def shared_terms(model, relation, term_ids):
    """A subquery counting how many of ``term_ids`` the outer entry carries under ``relation``."""
    field = model._meta.get_field(relation)
    through = field.remote_field.through
    entry_column, term_column = field.m2m_field_name(), field.m2m_reverse_field_name()
    counted = (
        through.objects.filter(**{entry_column: OuterRef("pk"), f"{term_column}__in": term_ids})
        .values(entry_column)
        .annotate(shared=Count("pk"))
        .values("shared")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def related_entries(entry, limit=6):
    """Published entries of the same kind that share a pillar, theme or region with ``entry``,
    best first. The score adds the weighted shared themes, articles, pillars and regions and a
    bonus for the same session. Two queries (entries, then their pillars), whatever the size of
    the catalogue; ``entry``'s own terms come from its prefetched relations."""
    model = type(entry)
    term_ids = {relation: [term.pk for term in getattr(entry, relation).all()] for relation in RELATED_WEIGHTS}
    if not any(term_ids[relation] for relation in CANDIDATE_RELATIONS):
        return []
    annotations = {f"shared_{relation}": shared_terms(model, relation, ids) for relation, ids in term_ids.items()}
    same_session = (
        Case(When(session_id=entry.session_id, then=Value(1)), default=Value(0), output_field=IntegerField())
        if entry.session_id
        else Value(0, output_field=IntegerField())
    )
    score = same_session * SAME_SESSION_BONUS
    for relation, weight in RELATED_WEIGHTS.items():
        score = score + annotations[f"shared_{relation}"] * weight
    candidates = Q()
    for relation in CANDIDATE_RELATIONS:
        candidates |= Q(**{f"shared_{relation}__gt": 0})
    related = list(
        model.objects.published()
        .exclude(pk=entry.pk)
        .annotate(**annotations, same_session=same_session)
        .filter(candidates)
        .annotate(relatedness=score)
        .order_by("-relatedness", "title")
        .prefetch_related("pillars")[:limit]
    )
    for item in related:
        item.shared_reasons = relatedness_reasons(item)
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


def published_count(model, relation, **filters):
    """A subquery for a vocabulary queryset: how many published ``model`` entries carry the outer
    term under ``relation`` (and match ``filters``). Annotating terms with it gives the terms and
    their counts in one query."""
    counted = (
        model.objects.published()
        .filter(**{relation: OuterRef("pk")}, **filters)
        .order_by()
        .values(relation)
        .annotate(entries=Count("pk", distinct=True))
        .values("entries")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
