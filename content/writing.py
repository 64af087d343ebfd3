"""Writing records: upserts that touch only what changed, what each write did, and the one
rollback helper every all-or-nothing run (load, check, import, dry run) uses."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction


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


def upsert(model, key: dict, values: dict):
    """update_or_create that writes only when something changed, so a reload touches nothing."""
    obj = model.objects.filter(**key).first()
    if obj is None:
        return model.objects.create(**key, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    return obj, False


def set_m2m(obj, name, values) -> bool:
    """Set a many-to-many relation only if it differs; say whether it did."""
    manager = getattr(obj, name)
    if set(manager.values_list("pk", flat=True)) != {v.pk for v in values}:
        manager.set(values)
        return True
    return False
