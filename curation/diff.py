"""What changed in entries since their last published version, field by field, for many entries in
a fixed number of queries (two for the versions, one per many-to-many field, one per related model
whose values changed)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.db.models import Max
from simple_history.utils import get_m2m_reverse_field_name

from practices.models import Status

# Editorial bookkeeping, not content: never reported as a change.
WORKFLOW_FIELDS = {
    "status",
    "submitted_at",
    "published_at",
    "published_by",
    "archived_at",
    "review_comment",
    "last_verified",
    "created_at",
    "updated_at",
    "successor",
}


@dataclass
class FieldChange:
    field: str
    old: str  # for a many-to-many field: what was removed
    new: str  # for a many-to-many field: what was added
    is_set: bool = False


@dataclass
class EntryChanges:
    entry: models.Model
    latest: models.Model | None  # the newest historical record
    published: models.Model | None  # the last record in which the entry was published
    changes: list[FieldChange]

    @property
    def never_published(self):
        return self.published is None


def _latest_records(history_model, ids, **filters):
    latest = (
        history_model.objects.filter(id__in=ids, **filters)
        .values("id")
        .annotate(last=Max("history_id"))
        .values_list("last", flat=True)
    )
    return latest


def _label(value, lookup):
    if value is None or value == "":
        return "—"
    obj = lookup.get(value)
    return str(obj) if obj is not None else f"#{value} (deleted)"


def changes_since_published(entries) -> list[EntryChanges]:
    """For entries of one model: the field-level difference between each entry's newest version and
    its last published version (every content field for an entry never published)."""
    entries = list(entries)
    if not entries:
        return []
    model = type(entries[0])
    history_model = model.history.model
    records, latest, published = _versions(history_model, [entry.pk for entry in entries])
    fields = [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in WORKFLOW_FIELDS
    ]
    m2m_fields = [field for field in history_model._history_m2m_fields if field.name not in WORKFLOW_FIELDS]
    m2m_values = _m2m_values(history_model, m2m_fields, list(records))

    raw, related_pks = {}, defaultdict(set)
    for entry in entries:
        new, old = latest.get(entry.pk), published.get(entry.pk)
        found = _raw_changes(new, old, fields, m2m_fields, m2m_values) if new is not None else []
        for field, before, after in found:
            if field.many_to_many:
                related_pks[field.related_model].update(before | after)
            elif field.is_relation:
                related_pks[field.related_model].update({before, after} - {None})
        raw[entry.pk] = (new, old, found)

    lookups = {related: related._base_manager.in_bulk(pks) for related, pks in related_pks.items()}
    result = []
    for entry in entries:
        new, old, found = raw[entry.pk]
        changes = [_field_change(field, before, after, lookups) for field, before, after in found]
        result.append(EntryChanges(entry=entry, latest=new, published=old, changes=changes))
    return result


def _versions(history_model, ids):
    """The newest and the last published historical record of each entry (two queries)."""
    wanted = [
        *_latest_records(history_model, ids),
        *_latest_records(history_model, ids, status=Status.PUBLISHED),
    ]
    records = {
        record.history_id: record
        for record in history_model.objects.filter(history_id__in=wanted).select_related("history_user")
    }
    latest, published = {}, {}
    for record in sorted(records.values(), key=lambda r: r.history_id):
        latest[record.id] = record
        if record.status == Status.PUBLISHED:
            published[record.id] = record
    return records, latest, published


def _m2m_values(history_model, m2m_fields, history_ids) -> dict[str, dict[int, set]]:
    """Many-to-many values of every involved version: one query per field."""
    m2m_values = {}
    for field in m2m_fields:
        target = get_m2m_reverse_field_name(field)
        rows = getattr(history_model, field.name).model.objects.filter(history_id__in=history_ids)
        values = defaultdict(set)
        for history_id, pk in rows.values_list("history_id", f"{target}_id"):
            values[history_id].add(pk)
        m2m_values[field.name] = values
    return m2m_values


def _raw_changes(new, old, fields, m2m_fields, m2m_values):
    """``(field, before, after)`` for each field that differs (related values as primary keys)."""
    found = []
    for field in fields:
        before = getattr(old, field.attname) if old is not None else None
        after = getattr(new, field.attname)
        if before != after and not (old is None and after in ("", None)):
            found.append((field, before, after))
    for field in m2m_fields:
        before = m2m_values[field.name].get(old.history_id, set()) if old is not None else set()
        after = m2m_values[field.name].get(new.history_id, set())
        if before != after:
            found.append((field, before, after))
    return found


def _field_change(field, before, after, lookups) -> FieldChange:
    """One difference in words: names of related rows, labels of choices, "—" for nothing."""
    if field.many_to_many:
        lookup = lookups[field.related_model]
        removed = sorted(_label(pk, lookup) for pk in before - after)
        added = sorted(_label(pk, lookup) for pk in after - before)
        return FieldChange(str(field.verbose_name), "; ".join(removed) or "—", "; ".join(added) or "—", is_set=True)
    if field.is_relation:
        lookup = lookups[field.related_model]
        return FieldChange(str(field.verbose_name), _label(before, lookup), _label(after, lookup))
    display = dict(field.flatchoices) if field.choices else {}
    return FieldChange(
        str(field.verbose_name),
        str(display.get(before, before)) if before not in (None, "") else "—",
        str(display.get(after, after)) if after not in (None, "") else "—",
    )
