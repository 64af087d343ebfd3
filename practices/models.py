"""The catalogue: findings (statements from a session) and good practices, each resting on a
verbatim quote of its source."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
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

# The fields only the workflow (practices/services.py) changes: no edit form or history revert does.
WORKFLOW_FIELDS = (
    "status",
    "submitted_at",
    "published_at",
    "published_by",
    "first_published_at",
    "archived_at",
    "last_verified",
    "review_comment",
    "successor",
)


class PublishedEntryCount(models.expressions.Combinable):
    """How many published findings or practices (``entry_model`` names which) carry the outer row
    (a term, session, section or article), as one correlated subquery over that relation alone:
    the through table of a many-to-many (each row is one entry) or the entries' foreign key. Two
    ``COUNT(DISTINCT)`` aggregates over two many-to-many joins in one query multiply the joins
    (findings x practices per term); subqueries keep each count to its own index scan. The
    relation is found from the outer model when the annotation is resolved, so the same
    annotation serves vocabularies, sessions, sections and articles.

    Each count reads indexes alone, never the published entries' rows: a through table's links
    of the term (its index on the term) less the links of the few entries that are not published
    (a partial index of their ids, each probed in the unique ``(entry, term)`` index); entries by
    foreign key from their ``(key, status)`` index."""

    def __init__(self, entry_model):
        self.entry_model = entry_model

    def subquery(self, outer):
        model = apps.get_model("practices", self.entry_model)
        field = next(
            f
            for f in model._meta.get_fields()
            if f.concrete and f.related_model is outer and (f.many_to_many or f.many_to_one) and f.name != "successor"
        )
        if not field.many_to_many:
            return CountRows(model.objects.filter(**{field.name: models.OuterRef("pk"), "status": Status.PUBLISHED}))
        return published_link_count(model, field.name)

    def resolve_expression(self, query=None, *args, **kwargs):
        return self.subquery(query.model).resolve_expression(query, *args, **kwargs)


def published_link_count(model, relation, **filters):
    """A subquery for a vocabulary queryset: how many published ``model`` entries carry the outer
    term under the many-to-many ``relation`` (and match ``filters``: other many-to-many relations
    by term, or fields of the entry). The term's links are counted from the through table alone,
    less those of entries that are not published (a few, from a partial index); a filter on
    another relation narrows the links to the entries among that term's links."""
    field = model._meta.get_field(relation)
    term_column, entry_column = field.m2m_reverse_field_name(), field.m2m_field_name()
    links = field.remote_field.through.objects.filter(**{term_column: models.OuterRef("pk")})
    for name, value in filters.items():
        other = model._meta.get_field(name)
        if other.many_to_many:
            other_links = other.remote_field.through.objects.filter(**{other.m2m_reverse_field_name(): value})
            links = links.filter(**{f"{entry_column}__in": other_links.values(other.m2m_field_name())})
        else:
            links = links.filter(**{f"{entry_column}__{name}": value})
    return CountRows(links) - CountRows(links.exclude(**{f"{entry_column}__status": Status.PUBLISHED}))


class CountRows(models.Subquery):
    """The number of rows of a queryset, as a subquery (0 when there are none): ``COUNT(*)`` over
    it, with no ``GROUP BY``, so an index holding its filter's columns answers it alone."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = models.IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)


def published_entry_counts():
    """Annotations counting the published findings and practices related to each row of a
    vocabulary, session, section or article queryset: one subquery per relation."""
    return {"finding_count": PublishedEntryCount("Finding"), "practice_count": PublishedEntryCount("Practice")}


class EntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def is_all_published(self) -> bool:
        """Whether this queryset is exactly the published entries (orderings and relations aside)."""
        plain = self.model.objects.published()
        return self.query.where == plain.query.where and not self.query.is_sliced and not self.query.distinct

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

    def ever_public(self):
        """Entries that are or have been public: never deleted, only archived."""
        return self.filter(models.Q(status__in=EVER_PUBLIC) | models.Q(first_published_at__isnull=False))

    def delete(self):
        if self.ever_public().exists():
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


class FormerSlug(models.Model):
    """An address a public finding or practice had before its slug was changed: visitors (and
    links from elsewhere) are redirected permanently to the entry's current address."""

    kind = models.CharField(max_length=20, help_text="The entry's model: finding or practice.")
    slug = models.SlugField(max_length=140)
    entry_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="former_slug_unique_per_kind")]

    def __str__(self):
        return f"{self.kind} {self.slug}"


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
    tag_exception = models.TextField(
        blank=True,
        help_text="Why this entry's tags depart from the tag rules (its twin's tags, its country's region, "
        "its panel's regions); empty when they follow them. See /method/.",
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it was first public: from then on it is never deleted."
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
        indexes = [
            # Counts of published entries (PublishedEntryCount): the few entries that are not
            # published, and per session or section the published ones (and their ids: a detail
            # page's same-session entries), each from an index alone.
            models.Index(
                fields=["id"], condition=~models.Q(status=Status.PUBLISHED), name="%(app_label)s_%(class)s_unpublished"
            ),
            models.Index(fields=["session", "status", "id"], name="%(class)s_session_status"),
            models.Index(fields=["section", "status"], name="%(class)s_section_status"),
            # a term's, session's or section's published entries in title order, one page at a time
            models.Index(
                fields=["title", "id"], condition=models.Q(status=Status.PUBLISHED), name="%(class)s_published_title"
            ),
            # the newest published entries (home page, feeds)
            models.Index(
                fields=["-published_at"], condition=models.Q(status=Status.PUBLISHED), name="%(class)s_newest_published"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Whatever path makes an entry public (the workflow, the loader, an import) marks it once public;
        a public entry whose slug changes keeps its old address as a ``FormerSlug`` (redirected, 301)."""
        if self.status in EVER_PUBLIC and self.first_published_at is None:
            self.first_published_at = self.published_at or timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "first_published_at"}
        if self.pk is not None and self.status in EVER_PUBLIC:
            old = type(self)._default_manager.filter(pk=self.pk).values_list("slug", flat=True).first()
            if old and old != self.slug:
                kind = self._meta.model_name
                FormerSlug.objects.update_or_create(kind=kind, slug=old, defaults={"entry_id": self.pk})
                FormerSlug.objects.filter(kind=kind, slug=self.slug).delete()
        super().save(*args, **kwargs)

    @property
    def was_ever_public(self):
        """Published now, archived, or public at some time before (returned to draft since)."""
        return self.status in EVER_PUBLIC or self.first_published_at is not None

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
        if self.was_ever_public:
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
    speakers = models.ManyToManyField(
        "kb.Person", blank=True, related_name="findings", help_text="Who said it, when the source says so."
    )
    organisations = models.ManyToManyField(
        "kb.Organisation",
        blank=True,
        related_name="findings",
        help_text="The organisation it was said for, when the source says so.",
    )
    attribution = models.TextField(
        blank=True,
        editable=False,
        help_text="The speakers' and organisations' names as text, kept for search (see attribution_text).",
    )

    class Meta(Entry.Meta):
        permissions = [
            ("publish_finding", "Can publish findings and return them to draft"),
            ("archive_finding", "Can archive findings"),
        ]

    def get_absolute_url(self):
        return reverse("practices:finding", args=[self.slug])

    @staticmethod
    def attribution_text(speakers, organisations) -> str:
        """The searchable text of who said it: each speaker as the source names them (with their
        role), then each organisation (with its acronym)."""
        parts = [" ".join(filter(None, [p.honorific, p.name, p.role])) for p in speakers]
        parts += [" ".join(filter(None, [o.name, o.acronym])) for o in organisations]
        return "; ".join(parts)

    def refresh_attribution(self):
        """Recompute ``attribution`` after the speakers or organisations changed (admin)."""
        text = self.attribution_text(self.speakers.all(), self.organisations.all())
        if text != self.attribution:
            self.attribution = text
            type(self).objects.filter(pk=self.pk).update(attribution=text)


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

    class Basis(models.TextChoices):
        IMPLEMENTED = "implemented", _("Implemented")
        RECOMMENDED = "recommended", _("Recommended")

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
    basis = models.CharField(
        max_length=20,
        choices=Basis.choices,
        default=Basis.RECOMMENDED,
        db_index=True,
        help_text="Implemented: the source presents it as done or in place, with who or where. "
        "Recommended: participants recommended it; nobody is described doing it.",
    )
    rating_reason = models.TextField(
        blank=True, help_text="Why this rating: one sentence saying what in the source the basis rests on."
    )
    implementers = models.ManyToManyField("kb.Organisation", blank=True, related_name="practices")
    projects = models.ManyToManyField("kb.Project", blank=True, related_name="practices")
    target_groups = models.ManyToManyField("taxonomy.TargetGroup", related_name="practices")
    related_findings = models.ManyToManyField(Finding, blank=True, related_name="practices")

    class Meta(Entry.Meta):
        indexes = [
            *Entry.Meta.indexes,
            # published practices by basis (the method page), from the index alone
            models.Index(
                fields=["basis", "id"], condition=models.Q(status=Status.PUBLISHED), name="practice_published_basis"
            ),
        ]
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
