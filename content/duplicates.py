"""Possible duplicates: existing entries whose title or summary is very like a new one's.

PostgreSQL compares with pg_trgm trigram similarity (in the database, one query); SQLite, which
has no such function, with difflib's ratio in Python. The two scales differ, hence two thresholds,
each set so a reworded or retyped title is caught and a merely related one is not.
"""

from difflib import SequenceMatcher

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Greatest

TRIGRAM_THRESHOLD = 0.5
DIFFLIB_THRESHOLD = 0.75


def find_possible_duplicates(model, title, summary, exclude_pk=None, limit=5):
    """Up to ``limit`` entries of ``model`` most like ``title``/``summary``, each with a
    ``similarity`` attribute (0-1, the better of title and summary), best first."""
    title, summary = (title or "").strip(), (summary or "").strip()
    if not (title or summary):
        return []
    queryset = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    if connection.vendor == "postgresql":
        return _by_trigrams(queryset, title, summary, limit)
    return _by_difflib(queryset, title, summary, limit)


def _by_trigrams(queryset, title, summary, limit):
    from django.contrib.postgres.search import TrigramSimilarity

    queryset = queryset.annotate(
        title_similarity=TrigramSimilarity("title", title),
        summary_similarity=TrigramSimilarity("summary", summary),
    )
    matches = Q(title_similarity__gte=TRIGRAM_THRESHOLD) if title else Q(pk__in=[])
    if summary:
        matches |= Q(summary_similarity__gte=TRIGRAM_THRESHOLD)
    queryset = queryset.annotate(similarity=Greatest("title_similarity", "summary_similarity"))
    return list(queryset.filter(matches).order_by("-similarity", "title")[:limit])


def _ratio(a: str, b: str) -> float:
    if not (a and b):
        return 0.0
    matcher = SequenceMatcher(None, a.casefold(), b.casefold(), autojunk=False)
    if matcher.real_quick_ratio() < DIFFLIB_THRESHOLD or matcher.quick_ratio() < DIFFLIB_THRESHOLD:
        return 0.0
    return matcher.ratio()


def _by_difflib(queryset, title, summary, limit):
    scored = []
    for pk, other_title, other_summary in queryset.values_list("pk", "title", "summary").iterator():
        score = max(_ratio(title, other_title), _ratio(summary, other_summary))
        if score >= DIFFLIB_THRESHOLD:
            scored.append((score, pk))
    scored.sort(key=lambda item: -item[0])
    scored = scored[:limit]
    by_pk = queryset.in_bulk([pk for _, pk in scored])
    found = []
    for score, pk in scored:
        entry = by_pk[pk]
        entry.similarity = score
        found.append(entry)
    return found
