"""The curators' admin, registered when Django's admin autodiscovery imports this module: entries
and their workflow, source documents, and readers' contributions (suggestions, corrections)."""

from curation import admin_contributions, admin_entries, admin_sources  # noqa: F401 (registers the admins)
