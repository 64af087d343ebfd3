"""Change history in the admin: who changed what and when, field by field, with revert.

``HistoryAdmin`` is django-simple-history's admin with two fixes the curation workflow needs:
reverting is an edit, so it needs the permission to change that very object (simple-history only
checks the view permission before saving); and a revert restores the many-to-many fields
(classification) of the chosen version too, not only its plain fields. A revert restores content
only: the fields named in ``revert_keeps`` (an editorial workflow's status, who published and when...)
keep their current values, and the revert is recorded as a step of its own ("Reverted to the version
of ...").

Its history page is written for people (``history_rows``): one row per save with who, when (in
words), why (the workflow step, or "Edited") and each changed field's old and new value as labels."""

import datetime
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import Truncator, capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_m2m_reverse_field_name


def historical_m2m_values(record) -> dict[str, list]:
    """The primary keys each tracked many-to-many field held in a historical ``record``."""
    values = {}
    for field in record._history_m2m_fields:
        target = get_m2m_reverse_field_name(field)
        values[field.name] = list(getattr(record, field.name).values_list(target, flat=True))
    return values


def keep_current_values(obj, names):
    """Give ``obj`` (an old version about to be saved) the stored values of the fields ``names``."""
    if not names:
        return
    attnames = [obj._meta.get_field(name).attname for name in names]
    stored = type(obj)._default_manager.filter(pk=obj.pk).values(*attnames).first() or {}
    for attname, value in stored.items():
        setattr(obj, attname, value)


class HistoryAdmin(SimpleHistoryAdmin):
    history_list_per_page = 50
    show_facets = admin.ShowFacets.ALWAYS
    revert_keeps: tuple[str, ...] = ()  # fields a revert never changes
    object_history_list_template = "admin/history_list.html"

    def history_view(self, request, object_id, extra_context=None):
        """simple-history renders its page at once: the rows computed for the page's records (in
        ``set_history_delta_changes``) reach the template through a callable it calls."""
        extra_context = {**(extra_context or {}), "history_rows": lambda: getattr(request, "_history_rows", [])}
        return super().history_view(request, object_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Instead of simple-history's deltas (codes, ids, one row per record): ``history_rows``."""
        records = list(historical_records)
        older = None
        if records:
            pk_name = self.model._meta.pk.attname
            older = (
                type(records[-1])
                ._default_manager.filter(history_date__lt=records[-1].history_date)
                .filter(**{pk_name: getattr(records[-1], pk_name)})
                .order_by("-history_date")
                .first()
            )
        request._history_rows = history_rows(self.model, records, older)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.get_object(request, object_id)  # None for a malformed or unknown id
        if current is None or not str(version_id).isdigit():
            raise Http404("No such version.")
        record = get_object_or_404(self.model.history.model, pk=version_id, **{self.model._meta.pk.attname: current.pk})
        if request.method == "POST" and not self.has_change_permission(request, current):
            raise PermissionDenied
        request._history_record = record
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        record = getattr(request, "_history_record", None)
        if record is not None:
            keep_current_values(obj, self.revert_keeps)
            obj._change_reason = f"Reverted to the version of {record.history_date:%Y-%m-%d %H:%M:%S %Z}"[:100]
        super().save_model(request, obj, form, change)

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, obj) or not self.has_change_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        record = getattr(request, "_history_record", None)
        if record is None:
            return form
        restored = {name: value for name, value in historical_m2m_values(record).items() if name in form.base_fields}

        class RevertForm(form):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**restored, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        return RevertForm


# --- history written for people -----------------------------------------------------------------

# Saves by one user this close together are one save (simple-history records a many-to-many
# field's change as a record of its own, right after the save's).
SAME_SAVE = datetime.timedelta(seconds=5)
# Bookkeeping that changes with every save: never listed as a change.
UNLISTED_FIELDS = {"updated_at", "created_at"}
TEXT_LIMIT = 200


@dataclass
class HistoryRow:
    """One save, in words: when, who, why, and each changed field's old and new value."""

    record: object  # the newest historical record of the save (its version, for revert)
    when: str
    user: str
    reason: str
    changes: list = dataclass_field(default_factory=list)  # [(label, old, new)]


def person(user) -> str:
    if user is None:
        return "System (import or command line)"
    return user.get_full_name() or user.get_username()


def readable_time(value) -> str:
    return date_format(timezone.localtime(value), "j F Y, H:i") if value else "—"


def readable_value(model_field, value) -> str:
    """A field's value as a curator reads it: choice labels, related objects' names, dates in words."""
    if value is None or value == "" or value == []:
        return "—"
    if model_field.many_to_many:
        model = model_field.related_model
        ids = [item[model_field.m2m_reverse_field_name()] if isinstance(item, dict) else item for item in value]
        return "; ".join(sorted(str(obj) for obj in model._default_manager.filter(pk__in=ids))) or "—"
    if model_field.is_relation:
        obj = model_field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj is not None else "(deleted)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return readable_time(value)
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return Truncator(str(value)).chars(TEXT_LIMIT)


def readable_changes(model, newer, older) -> list[tuple[str, str, str]]:
    """(field label, old, new) for each field that differs between two historical records."""
    delta = newer.diff_against(older, foreign_keys_are_objs=False)
    rows = []
    for change in delta.changes:
        if change.field in UNLISTED_FIELDS:
            continue
        model_field = model._meta.get_field(change.field)
        rows.append(
            (
                capfirst(model_field.verbose_name),
                readable_value(model_field, change.old),
                readable_value(model_field, change.new),
            )
        )
    return rows


def group_saves(records) -> list[list]:
    """Newest-first records, grouped into saves: one user's records a few seconds apart, the newer
    without a reason of its own (a many-to-many change recorded after the save it belongs to)."""
    groups: list[list] = []
    for record in records:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and last.history_user_id == record.history_user_id
            and last.history_date - record.history_date <= SAME_SAVE
            and (not last.history_change_reason or last.history_change_reason == record.history_change_reason)
        ):
            groups[-1].append(record)
        else:
            groups.append([record])
    return groups


def history_rows(model, records, older=None) -> list[HistoryRow]:
    """Newest-first historical ``records`` of one object as rows, one per save; ``older`` is the
    record just before the oldest of them (None: the oldest is the creation)."""
    groups = group_saves(records)
    rows = []
    for index, group in enumerate(groups):
        newest, oldest = group[0], group[-1]
        before = groups[index + 1][0] if index + 1 < len(groups) else older
        reason = next((r.history_change_reason for r in group if r.history_change_reason), "")
        if before is None and oldest.history_type == "+":
            rows.append(HistoryRow(newest, readable_time(newest.history_date), person(newest.history_user),
                                   reason or "Created"))  # fmt: skip
            continue
        changes = readable_changes(model, newest, before) if before is not None else []
        if newest.history_type == "-":
            reason = reason or "Deleted"
        rows.append(
            HistoryRow(
                newest, readable_time(newest.history_date), person(newest.history_user), reason or "Edited", changes
            )
        )
    return rows
