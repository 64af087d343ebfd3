from django.apps import AppConfig

from common import versioning


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = "Findings and good practices"

    def ready(self):
        versioning.connect()
