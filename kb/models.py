"""The conference record: conferences, their source documents and sections, sessions, and the
organisations, people and projects the sources name."""

from django.db import models
from django.urls import reverse

from common.text import normalise_for_quote


class Organisation(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government"
        INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental"
        NGO = "ngo", "NGO"
        PRIVATE = "private", "Private sector"
        COURT = "court", "Court"
        LAW_ENFORCEMENT = "law-enforcement", "Law enforcement"
        RESEARCH = "research", "Research"

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=300)
    acronym = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    country = models.ForeignKey("taxonomy.Country", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("kb:organisation", args=[self.slug])


class Person(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200, help_text="As the source gives it.")
    honorific = models.CharField(max_length=20, blank=True)
    role = models.CharField(max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return f"{self.honorific} {self.name}".strip()


class Conference(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=400)
    short_title = models.CharField(max_length=80)
    subtitle = models.CharField(max_length=400, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    place = models.CharField(max_length=120)
    country = models.ForeignKey("taxonomy.Country", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    summary = models.TextField(blank=True)
    organisers = models.ManyToManyField(Organisation, blank=True, related_name="conferences_organised")
    rapporteurs = models.ManyToManyField(Person, blank=True, related_name="conferences_reported")

    class Meta:
        ordering = ["-start_date"]

    def __str__(self):
        return self.short_title

    def get_absolute_url(self):
        return reverse("kb:conference", args=[self.slug])


class SourceDocument(models.Model):
    """The full text of a report, kept verbatim so every quote can be checked and shown in context."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=400)
    conference = models.ForeignKey(
        Conference, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    published = models.CharField(max_length=20, blank=True, help_text="Year or date of publication.")
    url = models.URLField(blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("kb:source", args=[self.slug])

    def contains_quote(self, quote: str) -> bool:
        needle = normalise_for_quote(quote)
        return bool(needle) and needle in normalise_for_quote(self.text)


class Section(models.Model):
    """A part of a source document (e.g. "D. Projects in Europe"), located by character offsets."""

    document = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(max_length=40, help_text='Short code, e.g. "D" or "K-prevention".')
    title = models.CharField(max_length=300)
    heading = models.CharField(max_length=300, help_text="The line that opens the section in the text.")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    order = models.PositiveSmallIntegerField(default=0)
    start = models.PositiveIntegerField(help_text="Offset of the heading in the document text.")
    end = models.PositiveIntegerField(help_text="Offset where the next section starts.")

    class Meta:
        ordering = ["document", "order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "code"], name="unique_section_code"),
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return f"{self.document.get_absolute_url()}#{self.anchor}"

    @property
    def label(self):
        if self.parent_id:
            return f"{self.parent.code} › {self.title}"
        if len(self.code) == 1:
            return f"{self.code}. {self.title}"
        return self.title

    @property
    def document_title(self):
        return self.document.title

    @property
    def anchor(self):
        return f"section-{self.code}"

    @property
    def body(self) -> str:
        """The section's text without its heading."""
        return self.document.text[self.start + len(self.heading) : self.end].strip()


class Session(models.Model):
    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", "Introduction"
        OPENING = "opening", "Opening"
        OBJECTIVES = "objectives", "Objectives"
        PANEL = "panel", "Panel"
        WORKING_GROUP = "working-group", "Working group"
        RESULTS = "results", "Results"
        CLOSING_REMARKS = "closing-remarks", "Closing remarks"

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="sessions")
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    question = models.TextField(blank=True, help_text="The question or theme it addressed.")
    summary = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions")
    region = models.ForeignKey(
        "taxonomy.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    regions = models.ManyToManyField(
        "taxonomy.Region",
        blank=True,
        related_name="+",
        help_text="The regions a regional panel covers; its entries carry them unless explicitly cross-regional.",
    )
    speakers = models.ManyToManyField(Person, blank=True, related_name="sessions")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="sessions")

    class Meta:
        ordering = ["conference", "order"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("kb:session", args=[self.slug])


class Project(models.Model):
    class Kind(models.TextChoices):
        PROJECT = "project", "Project"
        PROGRAMME = "programme", "Programme"
        CAMPAIGN = "campaign", "Campaign"
        INSTRUMENT = "instrument", "Instrument"

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROJECT)
    summary = models.TextField(blank=True)
    implementers = models.ManyToManyField(Organisation, blank=True, related_name="projects")
    countries = models.ManyToManyField("taxonomy.Country", blank=True, related_name="projects")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.PROTECT, related_name="projects")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.PROTECT, related_name="projects")
    quote = models.TextField(blank=True, help_text="What the source says, verbatim.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("kb:project", args=[self.slug])
