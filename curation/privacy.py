"""Which fields hold readers' and users' private details, and who may see them.

The one list the admin asks before showing a private field (``without_private_fields``) and before
allowing a changelist lookup on it (``PrivateLookupsMixin``): hiding a field from a form is not enough
when ``?contact_email__startswith=r`` answers with a count, letter by letter."""

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP

from curation.models import CorrectionReport, Suggestion

# model -> (private field names, the permission that lets a user see them)
PRIVATE_FIELDS = {
    CorrectionReport: (frozenset({"contact_email"}), "curation.change_correctionreport"),
    Suggestion: (frozenset({"contact_name", "contact_email"}), "curation.view_suggestion"),
    get_user_model(): (frozenset({"email", "first_name", "last_name", "last_login"}), "auth.view_user"),
}
# Fields nobody looks rows up by, whatever their permissions.
NEVER_LOOKED_UP = frozenset({"password"})


def may_see_private(user, model) -> bool:
    """Whether ``user`` may see the private fields of ``model`` (True for a model without any)."""
    if model not in PRIVATE_FIELDS:
        return True
    return user is not None and user.is_active and user.has_perm(PRIVATE_FIELDS[model][1])


def private_fields(user, model) -> frozenset:
    """The fields of ``model`` hidden from ``user``."""
    if model not in PRIVATE_FIELDS or may_see_private(user, model):
        return frozenset()
    return PRIVATE_FIELDS[model][0]


def without_private_fields(request, model, fields):
    """``fields`` less the ones of ``model`` the requesting user may not see."""
    hidden = private_fields(request.user, model)
    return [name for name in fields if name not in hidden]


def lookup_touches_private_field(user, model, lookup: str) -> bool:
    """Whether the ``lookup`` path (``published_by__email__startswith``) names a field ``user`` may not
    see, on ``model`` or on any model the path crosses."""
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a transform or lookup name: the path of fields ends here
        if part in NEVER_LOOKED_UP or part in private_fields(user, model):
            return True
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False


class PrivateLookupsMixin:
    """A ModelAdmin that refuses changelist lookups on private fields the user may not see (Django
    answers a refused lookup with 400 Bad Request)."""

    def lookup_allowed(self, lookup, value, request=None):
        user = getattr(request, "user", None)
        if lookup_touches_private_field(user, self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)
