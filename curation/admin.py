"""The curators' admin, registered when Django's admin autodiscovery imports this module: entries
and their workflow, source documents, and readers' contributions (suggestions, corrections)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from curation import admin_contributions, admin_entries, admin_sources  # noqa: F401 (registers the admins)
from curation.privacy import PrivateLookupsMixin

User = get_user_model()


class CuratorUserAdmin(PrivateLookupsMixin, UserAdmin):
    """Django's user admin, without lookups by password hash (or by address for those who may not see it)."""


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, CuratorUserAdmin)
