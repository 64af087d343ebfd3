"""The editorial workflow of findings and practices: draft -> in review -> published -> archived.

Every transition goes through these functions, which check the acting user's permissions on the
server, refuse transitions the workflow does not allow, and record who did what and when (the
entry's history keeps the user and a change reason for every step).

Who may do what (permissions of the model, ``<action>_practice`` / ``<action>_finding``):

* edit: ``change``; a draft only, unless the user may also ``publish`` (reviewers edit live entries);
* submit for review: ``change``;
* publish, return to draft (with a comment), mark verified: ``publish``;
* archive: ``archive``.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from practices.models import Status


class TransitionError(Exception):
    """The entry is not in a state the requested step starts from."""


@dataclass(frozen=True)
class Step:
    """One workflow step: the model permission it needs and the statuses it starts from."""

    permission: str
    starts_from: frozenset


# The one statement of the workflow's rules; the functions below and the admin ask it.
STEPS = {
    "submit": Step("change", frozenset({Status.DRAFT})),
    "publish": Step("publish", frozenset({Status.DRAFT, Status.IN_REVIEW})),
    "return": Step("publish", frozenset({Status.IN_REVIEW, Status.PUBLISHED, Status.ARCHIVED})),
    "archive": Step("archive", frozenset({Status.PUBLISHED})),
    "verify": Step("publish", frozenset({Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED})),
}


def _perm(model_or_entry, action: str) -> str:
    return f"{model_or_entry._meta.app_label}.{action}_{model_or_entry._meta.model_name}"


def may(user, action: str, model) -> bool:
    """Whether ``user`` holds the permission ``action`` (a step, or "edit") needs on ``model``,
    whatever the status of a particular entry: used to offer bulk actions."""
    if user is None or not user.is_active:
        return False
    return user.has_perm(_perm(model, "change" if action == "edit" else STEPS[action].permission))


def can(user, action: str, entry) -> bool:
    """Whether ``user`` may apply ``action`` (edit, submit, publish, return, archive, verify) to ``entry``."""
    if not may(user, action, entry):
        return False
    if action == "edit":
        return entry.status == Status.DRAFT or user.has_perm(_perm(entry, "publish"))
    return True


def allowed_steps(user, entry) -> dict[str, bool]:
    """Each step's name and whether ``user`` may take it on ``entry`` now."""
    return {name: entry.status in step.starts_from and can(user, name, entry) for name, step in STEPS.items()}


def _require(user, action: str, entry):
    if not can(user, action, entry):
        raise PermissionDenied(f"You may not {action} {entry._meta.verbose_name} “{entry}”.")
    if entry.status not in STEPS[action].starts_from:
        raise TransitionError(f"“{entry}” is {entry.get_status_display().lower()}; it cannot be {action}ed now.")


def _save(entry, user, reason: str):
    entry._history_user = user
    entry._change_reason = reason
    entry.save()


@transaction.atomic
def entry_submit_for_review(entry, user):
    _require(user, "submit", entry)
    entry.status = Status.IN_REVIEW
    entry.submitted_at = timezone.now()
    _save(entry, user, "Submitted for review")
    return entry


@transaction.atomic
def entry_publish(entry, user):
    _require(user, "publish", entry)
    entry.status = Status.PUBLISHED
    entry.published_at = timezone.now()
    entry.published_by = user
    entry.archived_at = None
    entry.review_comment = ""
    _save(entry, user, "Published")
    return entry


@transaction.atomic
def entry_return_to_draft(entry, user, comment: str):
    """Send an entry back to its editors (from review, or unpublish it) with the reviewer's reason."""
    _require(user, "return", entry)
    comment = (comment or "").strip()
    if not comment:
        raise TransitionError("Say why the entry goes back to draft: the comment is required.")
    entry.status = Status.DRAFT
    entry.review_comment = comment
    entry.archived_at = None
    _save(entry, user, f"Returned to draft: {comment}"[:100])
    return entry


@transaction.atomic
def entry_archive(entry, user, successor=None):
    """Take a published entry out of public lists; its address stays, with a notice or a redirect."""
    _require(user, "archive", entry)
    if successor is not None:
        if successor.pk == entry.pk or type(successor) is not type(entry):
            raise TransitionError("The successor must be another entry of the same kind.")
        entry.successor = successor
    entry.status = Status.ARCHIVED
    entry.archived_at = timezone.now()
    _save(entry, user, "Archived")
    return entry


@transaction.atomic
def entry_mark_verified(entry, user, day=None):
    """Record that a reviewer checked the entry against its source and the world (today by default)."""
    _require(user, "verify", entry)
    entry.last_verified = day or timezone.localdate()
    _save(entry, user, "Marked verified")
    return entry


@transaction.atomic
def entry_add_theme(entry, user, theme):
    if not can(user, "edit", entry):
        raise PermissionDenied(f"You may not edit “{entry}”.")
    entry._history_user = user
    entry._change_reason = f"Added theme {theme}"[:100]
    entry.themes.add(theme)
    return entry


def entry_delete(entry, user):
    """Delete a draft that was never public; published and archived entries are archived instead."""
    if not user.has_perm(_perm(entry, "delete")):
        raise PermissionDenied(f"You may not delete “{entry}”.")
    entry._history_user = user
    entry.delete()  # the model refuses entries that have been public


@dataclass
class BulkResult:
    done: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (entry, reason)


def apply_to_each(entries, user, step, *args, **kwargs) -> BulkResult:
    """Apply one workflow step to many entries, each on its own: one refusal does not stop the rest."""
    result = BulkResult()
    for entry in entries:
        try:
            step(entry, user, *args, **kwargs)
        except (PermissionDenied, TransitionError) as error:
            result.refused.append((entry, str(error)))
        else:
            result.done.append(entry)
    return result
