"""Curation records: the change history of the catalogue, vocabularies and sources (kept here so the
historical tables live in this app's migrations), suggestions from the field and correction reports."""

import simple_history
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from kb.models import Conference, Organisation, Person, Project, Section, Session, SourceDocument
from practices.models import Finding, Practice, PracticeQuote
from taxonomy.models import (
    Concept,
    ConventionArticle,
    Country,
    InspireStrategy,
    Label,
    Pillar,
    Region,
    TargetGroup,
    TerminologySource,
    Theme,
)

ENTRY_M2M = ["pillars", "regions", "countries", "themes", "articles", "inspire_strategies"]
PRACTICE_M2M = [*ENTRY_M2M, "implementers", "projects", "target_groups", "related_findings"]

simple_history.register(Practice, app="curation", m2m_fields=PRACTICE_M2M)
simple_history.register(Finding, app="curation", m2m_fields=ENTRY_M2M)
simple_history.register(Concept, app="curation", m2m_fields=["broader", "related", "sources"])
for _model in (
    PracticeQuote,
    Pillar,
    Region,
    Country,
    Theme,
    TargetGroup,
    InspireStrategy,
    ConventionArticle,
    Conference,
    SourceDocument,
    Section,
    Session,
    Organisation,
    Person,
    Project,
    Label,
    TerminologySource,
):
    simple_history.register(_model, app="curation")


class Suggestion(models.Model):
    """A practice proposed through the public form. The contact details are for reviewers only and
    never appear on a public page or in the API; a reviewer drafts a practice from it."""

    class Role(models.TextChoices):
        NGO = "ngo", _("NGO staff")
        PRACTITIONER = "practitioner", _("Practitioner (social work, health, education, law enforcement, justice)")
        PUBLIC_AUTHORITY = "public-authority", _("Public authority")
        RESEARCHER = "researcher", _("Researcher")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        NEW = "new", "New"
        DRAFTED = "drafted", "Drafted as a practice"
        DECLINED = "declined", "Declined"

    title = models.CharField(_("name of the practice"), max_length=200)
    description = models.TextField(_("what it does and for whom"), max_length=5000)
    organisation = models.CharField(_("who runs it"), max_length=300)
    countries = models.CharField(_("where"), max_length=300, help_text=_("Countries or regions where it runs."))
    evidence = models.TextField(
        _("evidence or source"),
        max_length=3000,
        blank=True,
        help_text=_("A report, evaluation or web page that describes it."),
    )
    url = models.URLField(_("web address"), blank=True)
    contact_name = models.CharField(_("your name"), max_length=200)
    contact_email = models.EmailField(_("your e-mail address"))
    contact_role = models.CharField(_("your role"), max_length=20, choices=Role.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW, db_index=True)
    practice = models.ForeignKey(Practice, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions")
    reviewer_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class CorrectionReport(models.Model):
    """A reader's note that a public finding or practice is wrong or out of date."""

    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        limit_choices_to={"app_label": "practices", "model__in": ["practice", "finding"]},
    )
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    message = models.TextField(_("what is wrong, and what is right"), max_length=5000)
    contact_email = models.EmailField(
        _("your e-mail address (optional)"), blank=True, help_text=_("Only if you would like an answer.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.TextField(blank=True, help_text="What the reviewer did about it.")

    class Meta:
        ordering = ["resolved_at", "-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"Correction to {self.entry}" if self.entry else "Correction"

    @property
    def is_open(self):
        return self.resolved_at is None
