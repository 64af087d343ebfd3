"""The one registry of entry kinds: what a finding and a good practice are called, where they are
listed and how they are filtered. Loader, imports, exports, search evaluation, the gap map and the
public forms all read it instead of keeping their own list."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from practices.filters import FindingFilterSet, PracticeFilterSet
from practices.models import Finding, Practice


@dataclass(frozen=True)
class EntryKind:
    model: type
    singular: str  # "practice": model name, form and URL parameter
    plural: str  # "practices": bundle key, file names, API and search evaluation
    label: str  # "good practices": what a reader calls them
    list_url_name: str
    filterset_class: type

    def __str__(self):
        return self.plural


FINDINGS = EntryKind(Finding, "finding", "findings", _("findings"), "practices:finding-list", FindingFilterSet)
PRACTICES = EntryKind(
    Practice, "practice", "practices", _("good practices"), "practices:practice-list", PracticeFilterSet
)

# In load order: practices refer to findings (related_findings).
ENTRY_KINDS = (FINDINGS, PRACTICES)
BY_PLURAL = {kind.plural: kind for kind in ENTRY_KINDS}
BY_SINGULAR = {kind.singular: kind for kind in ENTRY_KINDS}


def kind_of(model_or_entry) -> EntryKind:
    """The kind of a Finding or Practice (class or instance)."""
    return BY_SINGULAR[model_or_entry._meta.model_name]
