"""The catalogue: findings (statements from a session) and good practices, each resting on a
verbatim quote of its source."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.i18n import in_default_language, localized


class PublishedEntryDeletionError(Exception):
    """Raised when code tries to delete an entry that is, or was, public: archive it instead."""


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# Entries that have had a public URL; they are never deleted, only archived.
EVER_PUBLIC = (Status.PUBLISHED, Status.ARCHIVED)


def published_entry_counts():
    """Annotations counting the published findings and practices related to each row of a
    vocabulary, session, section or article queryset (distinct: several joins may repeat a row)."""
    return {
        "finding_count": models.Count("findings", filter=models.Q(findings__status=Status.PUBLISHED), distinct=True),
        "practice_count": models.Count("practices", filter=models.Q(practices__status=Status.PUBLISHED), distinct=True),
    }


class EntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def in_review(self):
        """The review queue: entries waiting for a reviewer, the longest-waiting first."""
        return self.filter(status=Status.IN_REVIEW).order_by(models.F("submitted_at").asc(nulls_last=True), "pk")

    def not_verified_since(self, day):
        """Live entries (not archived) nobody has verified since ``day``, never-verified ones first."""
        return (
            self.exclude(status=Status.ARCHIVED)
            .filter(models.Q(last_verified__isnull=True) | models.Q(last_verified__lt=day))
            .order_by(models.F("last_verified").asc(nulls_first=True), "title")
        )

    def delete(self):
        if self.filter(status__in=EVER_PUBLIC).exists():
            raise PublishedEntryDeletionError("Published or archived entries cannot be deleted; archive them instead.")
        return super().delete()

    def for_cards(self):
        """What a result card shows (title, pillars, regions, section, session), in three queries."""
        return self.select_related("session", "section__parent").prefetch_related("pillars", "regions")

    def with_relations(self):
        """Everything a detail page or API row shows, in a fixed number of queries. The source's
        full text is deferred: rows need its title and slug, not the whole report."""
        return (
            self.for_cards()
            .select_related("section__document")
            .defer("section__document__text")
            .prefetch_related("countries", "themes", "articles", "inspire_strategies")
        )


class Entry(models.Model):
    """What findings and practices share: a curated title and summary, the quote they rest on,
    where it comes from, how it is classified, and its editorial state."""

    slug = models.SlugField(max_length=140, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="The curator's own words.")
    title_fr = models.CharField("title in French", max_length=200, blank=True, help_text="Optional, by a curator.")
    summary_fr = models.TextField("summary in French", blank=True, help_text="Optional, by a curator.")
    quote = models.TextField(help_text="The verbatim passage of the source this entry rests on.")
    section = models.ForeignKey("kb.Section", on_delete=models.PROTECT, related_name="%(class)ss")
    session = models.ForeignKey(
        "kb.Session", null=True, blank=True, on_delete=models.PROTECT, related_name="%(class)ss"
    )

    pillars = models.ManyToManyField("taxonomy.Pillar", related_name="%(class)ss")
    regions = models.ManyToManyField("taxonomy.Region", related_name="%(class)ss")
    countries = models.ManyToManyField("taxonomy.Country", blank=True, related_name="%(class)ss")
    themes = models.ManyToManyField("taxonomy.Theme", blank=True, related_name="%(class)ss")
    articles = models.ManyToManyField("taxonomy.ConventionArticle", blank=True, related_name="%(class)ss")
    inspire_strategies = models.ManyToManyField("taxonomy.InspireStrategy", blank=True, related_name="%(class)ss")

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_verified = models.DateField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="When it was last submitted for review.")
    archived_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True, help_text="The reviewer's note when the entry was returned to draft.")
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        help_text="When archived, visitors to this entry's address are redirected here.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def is_public(self):
        return self.status == Status.PUBLISHED

    # The title and summary in the active language: the English ones (with lang="en" on them) when
    # a French page has no curator's translation.
    @property
    def local_title(self):
        return localized(self.title, self.title_fr)

    @property
    def local_summary(self):
        return localized(self.summary, self.summary_fr)

    @property
    def title_in_english_only(self):
        return not in_default_language() and not self.title_fr

    @property
    def summary_in_english_only(self):
        return not in_default_language() and not self.summary_fr

    def delete(self, *args, **kwargs):
        if self.status in EVER_PUBLIC:
            raise PublishedEntryDeletionError(f"{self} has been published: archive it instead of deleting it.")
        return super().delete(*args, **kwargs)

    def get_preview_url(self):
        return reverse(f"practices:{self._meta.model_name}-preview", args=[self.slug])

    @property
    def document(self):
        return self.section.document


class Finding(Entry):
    class Kind(models.TextChoices):
        FINDING = "finding", _("Finding")
        CHALLENGE = "challenge", _("Challenge")
        ROOT_CAUSE = "root-cause", _("Root cause")
        RECOMMENDATION = "recommendation", _("Recommendation")
        LESSON_LEARNED = "lesson-learned", _("Lesson learned")
        FACT = "fact", _("Fact")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FINDING, db_index=True)

    class Meta(Entry.Meta):
        permissions = [
            ("publish_finding", "Can publish findings and return them to draft"),
            ("archive_finding", "Can archive findings"),
        ]

    def get_absolute_url(self):
        return reverse("practices:finding", args=[self.slug])


class Practice(Entry):
    class PracticeType(models.TextChoices):
        PROGRAMME = "programme", _("Programme")
        SERVICE = "service", _("Service")
        POLICY = "policy", _("Policy")
        LEGISLATION = "legislation", _("Legislation")
        PROTOCOL = "protocol", _("Protocol")
        MULTI_AGENCY_MODEL = "multi-agency-model", _("Multi-agency model")
        AWARENESS_CAMPAIGN = "awareness-campaign", _("Awareness campaign")
        TRAINING = "training", _("Training")
        DATA_SYSTEM = "data-system", _("Data system")
        NETWORK = "network", _("Network")
        AGREEMENT = "agreement", _("Agreement")
        PARTICIPATION_MECHANISM = "participation-mechanism", _("Participation mechanism")
        ADVOCACY = "advocacy", _("Advocacy")
        FUNDING_MODEL = "funding-model", _("Funding model")

    class ChildParticipation(models.TextChoices):
        NOT_STATED = "not-stated", _("Not stated in the source")
        NONE = "none", _("None")
        CONSULTED = "consulted", _("Children consulted")
        COLLABORATIVE = "collaborative", _("Collaborative")
        CHILD_LED = "child-led", _("Child-led")

    class EvidenceLevel(models.TextChoices):
        PRACTICE_BASED = "practice-based", _("Practice-based, not evaluated")
        EMERGING = "emerging", _("Emerging")
        PROMISING = "promising", _("Promising")
        EFFECTIVE = "effective", _("Effective")
        MIXED = "mixed", _("Mixed evidence")
        HARMFUL = "harmful", _("Harmful")

    description = models.TextField(blank=True, help_text="Markdown, in the curator's words.")
    practice_type = models.CharField(max_length=30, choices=PracticeType.choices, db_index=True)
    child_participation = models.CharField(
        max_length=20, choices=ChildParticipation.choices, default=ChildParticipation.NOT_STATED
    )
    evidence_level = models.CharField(
        max_length=20, choices=EvidenceLevel.choices, default=EvidenceLevel.PRACTICE_BASED
    )
    implementers = models.ManyToManyField("kb.Organisation", blank=True, related_name="practices")
    projects = models.ManyToManyField("kb.Project", blank=True, related_name="practices")
    target_groups = models.ManyToManyField("taxonomy.TargetGroup", related_name="practices")
    related_findings = models.ManyToManyField(Finding, blank=True, related_name="practices")

    class Meta(Entry.Meta):
        permissions = [
            ("publish_practice", "Can publish practices and return them to draft"),
            ("archive_practice", "Can archive practices"),
        ]

    def get_absolute_url(self):
        return reverse("practices:practice", args=[self.slug])


class PracticeQuote(models.Model):
    """A further verbatim passage supporting a practice, when the source discusses it twice."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="extra_quotes")
    section = models.ForeignKey("kb.Section", on_delete=models.PROTECT, related_name="+")
    quote = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.quote[:80]
