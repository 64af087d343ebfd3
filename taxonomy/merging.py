"""Merging vocabulary terms: every entry (and anything else) that uses the merged terms is moved
to the survivor, then the merged terms are deleted, in one transaction."""

from django.db import transaction


def term_relations(model):
    """The relations pointing at a vocabulary model: (related model, field name, many-to-many?)."""
    return [
        (rel.related_model, rel.field.name, rel.many_to_many)
        for rel in model._meta.related_objects
        if rel.many_to_many or rel.one_to_many
    ]


def term_usage(term) -> list[tuple[int, str]]:
    """How many of each kind of object use ``term``, e.g. [(3, "findings"), (1, "practice")]."""
    usage = []
    for related_model, name, _ in term_relations(type(term)):
        count = related_model._default_manager.filter(**{name: term}).count()
        if count:
            meta = related_model._meta
            usage.append((count, str(meta.verbose_name if count == 1 else meta.verbose_name_plural)))
    return usage


def describe_usage(term) -> str:
    return ", ".join(f"{count} {label}" for count, label in term_usage(term))


@transaction.atomic
def merge_terms(merged, survivor) -> int:
    """Move everything that uses any of ``merged`` to ``survivor`` and delete ``merged``; return how
    many objects were moved. Many-to-many links go through the related managers, so m2m_changed
    signals (search indexes, history) see the change."""
    merged = [term for term in merged if term.pk != survivor.pk]
    moved = 0
    for related_model, name, many in term_relations(type(survivor)):
        users = related_model._default_manager.filter(**{f"{name}__in": merged}).distinct()
        if many:
            for obj in users:
                manager = getattr(obj, name)
                manager.remove(*merged)
                manager.add(survivor)
                moved += 1
        else:
            moved += users.update(**{name: survivor})
    type(survivor).objects.filter(pk__in=[term.pk for term in merged]).delete()
    return moved
