"""Change history in the admin: who changed what and when, field by field, with revert.

``HistoryAdmin`` is django-simple-history's admin with two fixes the curation workflow needs:
reverting is an edit, so it needs the permission to change that very object (simple-history only
checks the view permission before saving); and a revert restores the many-to-many fields
(classification) of the chosen version too, not only its plain fields. A revert restores content
only: the fields named in ``revert_keeps`` (an editorial workflow's status, who published and when...)
keep their current values, and the revert is recorded as a step of its own ("Reverted to the version
of ...")."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
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
