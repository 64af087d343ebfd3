"""Delete the contact details of suggestions and correction reports sent more than a year ago.

The privacy notice (/privacy/) promises that names and e-mail addresses sent through the public
forms are kept at most twelve months; run this daily (cron, or a scheduled container job). The
suggestion or report itself stays, without the person's details.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from curation.models import CorrectionReport, Suggestion

RETENTION_DAYS = 365


class Command(BaseCommand):
    help = "Blank the names and e-mail addresses of suggestions and correction reports older than --days (365)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=RETENTION_DAYS)

    def handle(self, *args, days, **options):
        cutoff = timezone.now() - timedelta(days=days)
        suggestions = (
            Suggestion.objects.filter(created_at__lt=cutoff)
            .exclude(contact_name="", contact_email="")
            .update(contact_name="", contact_email="")
        )
        reports = (
            CorrectionReport.objects.filter(created_at__lt=cutoff).exclude(contact_email="").update(contact_email="")
        )
        self.stdout.write(f"Contact details deleted: {suggestions} suggestion(s), {reports} correction report(s).")
