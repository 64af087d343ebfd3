from django.apps import AppConfig
from django.core.checks import Tags, register

from config.checks import shared_cache


class ProjectConfig(AppConfig):
    """The project's wiring as an app, so that its deployment checks are registered."""

    name = "config"
    verbose_name = "Project"

    def ready(self):
        register(shared_cache, Tags.caches, deploy=True)
