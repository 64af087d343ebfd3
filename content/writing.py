"""Writing records: a writer that touches only what changed and does it in bulk, what each write
did, and the one rollback helper every all-or-nothing run (load, check, import, dry run) uses.

A load costs what it loads: existing rows and links are read once per model and relation, new
rows are inserted with one statement per model, changed rows updated with one per model, links
added and removed with one statement per relation, and the change history gets one record per row
that changed (not one per field or relation), also in bulk."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords


@dataclass(frozen=True)
class RecordAction:
    """What writing one record did: "create", "update" or "unchanged"."""

    where: str
    kind: str
    slug: str
    title: str
    action: str
    pk: int | None = None


@dataclass
class LoadResult:
    counts: Counter = field(default_factory=Counter)
    actions: list[RecordAction] = field(default_factory=list)


class _Rollback(Exception):
    pass


@contextmanager
def all_or_nothing(should_roll_back):
    """Run the block in one transaction and roll it back, silently, when ``should_roll_back()`` is
    true at its end (problems were found, or it was a dry run)."""
    try:
        with transaction.atomic():
            yield
            if should_roll_back():
                raise _Rollback
    except _Rollback:
        pass


CHUNK = 500  # values per IN (...) list: well under SQLite's variable limit


def chunks(items, size=CHUNK):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _plain(value):
    """A key or field value as stored: a model instance by its primary key."""
    return value.pk if isinstance(value, models.Model) else value


class Writer:
    """Buffers one run's writes and writes them in bulk.

    ``upsert`` and ``set_links`` only record what should be; ``flush`` writes it (models in the
    order first used, so a row's foreign keys point at rows already written); ``finish`` flushes
    and writes the change history. A value that is a row not yet written makes ``upsert`` flush
    first, so it has its key."""

    def __init__(self, *, history_user=None, change_reason="Loaded from a content bundle"):
        self.history_user = history_user
        self.change_reason = change_reason
        self._cache: dict[tuple, dict] = {}  # (model, key names) -> {key values: row}
        self._new: dict[type, list] = {}
        self._dirty: dict[type, dict[int, tuple]] = {}  # model -> {id(row): (row, changed field names)}
        self._links: dict[tuple, dict[int, tuple]] = {}  # (model, relation) -> {id(row): (row, target pks)}
        self._outcome: dict[int, str] = {}  # id(row) -> "create" / "update"
        self._touched: dict[type, dict[int, models.Model]] = {}  # rows that need a history record

    # --- recording ----------------------------------------------------------------------------

    def preload(self, model, key_name: str, values) -> None:
        """Read the existing rows whose ``key_name`` is among ``values`` (one query per chunk), so
        that ``upsert`` finds them without a query each. Without it, ``upsert`` reads the whole
        table once (vocabularies and the conference record are small)."""
        cache = self._cache.setdefault((model, (key_name,)), {})
        wanted = [value for value in dict.fromkeys(values) if (value,) not in cache]
        for chunk in chunks(wanted):
            for row in model.objects.filter(**{f"{key_name}__in": chunk}):
                cache[(getattr(row, key_name),)] = row
        for value in wanted:
            cache.setdefault((value,), None)

    def existing(self, model, key: dict):
        """The row of ``model`` with ``key`` (written or still to be written), or None."""
        names = tuple(key)
        cache_key = (model, names)
        if cache_key not in self._cache:
            attnames = [model._meta.get_field(name).attname for name in names]
            self._cache[cache_key] = {
                tuple(getattr(row, attname) for attname in attnames): row for row in model.objects.all()
            }
        return self._cache[cache_key].get(tuple(_plain(value) for value in key.values()))

    def upsert(self, model, key: dict, values: dict):
        """The row of ``model`` with ``key``, created or changed to hold ``values``: ``(row, created)``."""
        if any(isinstance(v, models.Model) and v.pk is None for v in (*key.values(), *values.values())):
            self.flush()
        row = self.existing(model, key)
        if row is None:
            row = self.create(model, {**key, **values})
            self._cache[(model, tuple(key))][tuple(_plain(v) for v in key.values())] = row
            return row, True
        self.update(row, values)
        return row, False

    def create(self, model, values: dict):
        """A new row of ``model`` (no natural key to look it up by)."""
        if any(isinstance(v, models.Model) and v.pk is None for v in values.values()):
            self.flush()
        row = model(**values)
        self._new.setdefault(model, []).append(row)
        self._outcome[id(row)] = "create"
        self._touched.setdefault(model, {})[id(row)] = row
        return row

    def update(self, row, values: dict) -> bool:
        """Give an existing ``row`` these ``values``; say whether anything changed."""
        changed = {name for name, value in values.items() if self.differs(row, name, value)}
        for name in changed:
            setattr(row, name, values[name])
        if changed and row.pk is not None:
            _, fields = self._dirty.setdefault(type(row), {}).setdefault(id(row), (row, set()))
            fields |= changed
            self.mark_changed(row)
        return bool(changed)

    @staticmethod
    def differs(row, name, value) -> bool:
        """Whether ``row.name`` differs from ``value`` (a related row compared by its key, unread)."""
        field = row._meta.get_field(name)
        if field.is_relation:
            return getattr(row, field.attname) != _plain(value)
        return getattr(row, name) != value

    def mark_changed(self, row):
        """Count ``row`` as updated (and give it a history record) unless it is new."""
        self._outcome.setdefault(id(row), "update")
        self._touched.setdefault(type(row), {})[id(row)] = row

    def set_links(self, row, relation: str, targets) -> None:
        """``row``'s many-to-many ``relation`` should hold exactly ``targets``."""
        self._links.setdefault((type(row), relation), {})[id(row)] = (row, list(targets))

    def delete(self, rows) -> None:
        """Delete rows now, with a history record each ("-") when the model keeps history."""
        rows = list(rows)
        if not rows:
            return
        model = type(rows[0])
        self._write_history(model, rows, "-")
        model.objects.filter(pk__in=[row.pk for row in rows]).delete()

    def outcome(self, row) -> str:
        """What happened to ``row`` so far: "create", "update" or "unchanged"."""
        return self._outcome.get(id(row), "unchanged")

    # --- writing ------------------------------------------------------------------------------

    def flush(self) -> None:
        """Write the recorded rows and links."""
        new, self._new = self._new, {}
        for model, rows in new.items():
            model.objects.bulk_create(rows)
        dirty, self._dirty = self._dirty, {}
        now = timezone.now()
        for model, changes in dirty.items():
            auto_now = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
            by_fields: dict[frozenset, list] = {}
            for row, fields in changes.values():
                for name in auto_now:
                    setattr(row, name, now)
                by_fields.setdefault(frozenset(fields) | frozenset(auto_now), []).append(row)
            for fields, rows in by_fields.items():
                model.objects.bulk_update(rows, sorted(fields))
        links, self._links = self._links, {}
        for (model, relation), wanted in links.items():
            self._write_links(model, relation, wanted)

    def _write_links(self, model, relation, wanted):
        field = model._meta.get_field(relation)
        through = field.remote_field.through
        owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        owner_att, target_att = f"{owner}_id", f"{target}_id"
        current: dict[int, dict[int, int]] = {}
        for chunk in chunks([row.pk for row, _ in wanted.values()]):
            for pk, owner_id, target_id in through.objects.filter(**{f"{owner}__in": chunk}).values_list(
                "pk", owner_att, target_att
            ):
                current.setdefault(owner_id, {})[target_id] = pk
        added, removed = [], []
        for row, target_rows in wanted.values():
            targets = {_plain(target) for target in target_rows}  # rows new in this run have their keys now
            have = current.get(row.pk, {})
            new_targets = targets - have.keys()
            gone = [pk for target_id, pk in have.items() if target_id not in targets]
            added += [through(**{owner_att: row.pk, target_att: target_id}) for target_id in sorted(new_targets)]
            removed += gone
            if new_targets or gone:
                self.mark_changed(row)
            if len(added) >= CHUNK * 10:  # a large import: insert as it goes rather than hold every link
                through.objects.bulk_create(added)
                added = []
        if added:
            through.objects.bulk_create(added)
        for chunk in chunks(removed):
            through.objects.filter(pk__in=chunk).delete()

    def finish(self) -> None:
        """Write everything recorded, then one history record per row that changed."""
        self.flush()
        touched, self._touched = self._touched, {}
        for model, rows in touched.items():
            created = [row for row in rows.values() if self._outcome.get(id(row)) == "create"]
            updated = [row for row in rows.values() if self._outcome.get(id(row)) == "update"]
            self._write_history(model, created, "+")
            self._write_history(model, updated, "~")

    def _write_history(self, model, rows, history_type: str) -> None:
        manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
        if not rows or manager_name is None or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        history = getattr(model, manager_name)
        records = history.bulk_history_create(
            rows,
            update=history_type == "~",
            default_user=self.history_user,
            default_change_reason=self.change_reason,
            default_date=timezone.now(),
        )
        if history_type == "-":
            history.model.objects.filter(pk__in=[r.pk for r in records]).update(history_type="-")
        self._write_history_links(history.model, rows, records)

    @staticmethod
    def _write_history_links(history_model, rows, records) -> None:
        """The many-to-many values each new history record keeps (as simple-history stores them)."""
        record_of = {row.pk: record for row, record in zip(rows, records, strict=True)}
        for m2m_field in getattr(history_model, "_history_m2m_fields", []):
            m2m_history_model = HistoricalRecords.m2m_models[m2m_field]
            through = m2m_field.remote_field.through
            owner = m2m_field.m2m_field_name()
            attnames = [f.attname for f in through._meta.fields]
            snapshot = []
            for chunk in chunks(list(record_of)):
                for values in through.objects.filter(**{f"{owner}__in": chunk}).values(*attnames):
                    record = record_of[values[f"{owner}_id"]]
                    snapshot.append(m2m_history_model(history=record, **values))
            m2m_history_model.objects.bulk_create(snapshot)
