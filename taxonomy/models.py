"""Controlled vocabularies shared by every source: pillars, regions, countries, themes, target
groups, WHO INSPIRE strategies and the articles of the Lanzarote Convention, and the thesaurus
of the words people use for them."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext

from common.i18n import localized


class SlugNamedQuerySet(models.QuerySet):
    def by_slugs(self, slugs):
        return self.filter(slug__in=slugs)


class Vocabulary(models.Model):
    """A named term identified by a stable slug used in URLs, filters, imports and the API."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    name_fr = models.CharField("name in French", max_length=200, blank=True)
    description = models.TextField(blank=True)

    objects = SlugNamedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """The name in the active language (English when there is no translation)."""
        return localized(self.name, self.name_fr)

    def natural_key(self):
        return (self.slug,)


class Pillar(Vocabulary):
    """One of the convention's four P's."""

    order = models.PositiveSmallIntegerField(default=0)
    definition = models.TextField(help_text="The pillar in the curator's words.")
    source_quote = models.TextField(blank=True, help_text="The passage of a source that defines it.")

    class Meta:
        ordering = ["order"]

    def get_absolute_url(self):
        return reverse("taxonomy:pillar", args=[self.slug])


class Region(Vocabulary):
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def get_absolute_url(self):
        return reverse("taxonomy:region", args=[self.slug])


class Country(models.Model):
    code = models.CharField("ISO 3166-1 alpha-2 code", max_length=2, unique=True)
    name = models.CharField(max_length=200)
    name_fr = models.CharField("name in French", max_length=200, blank=True)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="countries")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("taxonomy:country", args=[self.code])

    @property
    def label(self):
        return localized(self.name, self.name_fr)


class Theme(Vocabulary):
    def get_absolute_url(self):
        return reverse("taxonomy:theme", args=[self.slug])


class TargetGroup(Vocabulary):
    pass


class InspireStrategy(Vocabulary):
    """WHO INSPIRE: seven strategies to end violence against children plus two cross-cutting
    activities, used as a second lens over the entries."""

    letter = models.CharField(max_length=1, blank=True)
    cross_cutting = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = "INSPIRE strategy"
        verbose_name_plural = "INSPIRE strategies"


class ConventionArticle(models.Model):
    """An article of the Lanzarote Convention (CETS 201), with its chapter and the pillar that
    chapter serves (none for the general and final clauses)."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=300)
    title_fr = models.CharField("title in French", max_length=300, blank=True)
    chapter = models.CharField(max_length=5, help_text="Roman numeral")
    chapter_title = models.CharField(max_length=200)
    chapter_title_fr = models.CharField("chapter title in French", max_length=200, blank=True)
    pillar = models.ForeignKey(Pillar, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    summary = models.TextField(blank=True, help_text="What the article requires of Parties, in plain language.")
    official_url = models.URLField(blank=True, help_text="The official text of the treaty.")

    class Meta:
        ordering = ["number"]
        verbose_name = "convention article"

    def __str__(self):
        return gettext("Article %(number)s: %(title)s") % {"number": self.number, "title": self.label}

    def get_absolute_url(self):
        return reverse("taxonomy:article", args=[self.number])

    @property
    def label(self):
        """The title in the active language."""
        return localized(self.title, self.title_fr)

    @property
    def chapter_label(self):
        return localized(self.chapter_title, self.chapter_title_fr)


class TerminologySource(models.Model):
    """Where a thesaurus concept's terminology comes from (a guideline, a treaty, the team)."""

    key = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=600)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.key


class Concept(models.Model):
    """A concept of the thesaurus (SKOS-like): either a term of a vocabulary (``vocabulary`` and
    ``term``: its slug, ISO code or article number), whose English preferred label is the term's
    name, or a free concept with its own preferred label. Its labels (preferred, alternative,
    hidden) are what users may type for it; ``broader`` points to wider concepts (``narrower`` is
    the inverse) and ``related`` to associated, non-equivalent ones."""

    class Vocabulary(models.TextChoices):
        PILLAR = "pillar", "Pillar"
        REGION = "region", "Region"
        COUNTRY = "country", "Country"
        THEME = "theme", "Theme"
        TARGET_GROUP = "target_group", "Target group"
        INSPIRE = "inspire", "WHO INSPIRE strategy"
        ARTICLE = "article", "Convention article"
        SESSION = "session", "Conference session"
        ORGANISATION = "organisation", "Organisation"
        PROJECT = "project", "Project"

    slug = models.SlugField(max_length=120, unique=True)
    vocabulary = models.CharField(
        max_length=20, choices=Vocabulary.choices, blank=True, help_text="Empty for a free concept."
    )
    term = models.CharField(
        max_length=120, blank=True, help_text="The term's slug, ISO code or article number (with a vocabulary)."
    )
    broader = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="narrower")
    related = models.ManyToManyField("self", symmetrical=True, blank=True)
    sources = models.ManyToManyField(TerminologySource, blank=True, related_name="concepts")
    note = models.TextField("scope note", blank=True)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(vocabulary="") & models.Q(term=""))
                | (~models.Q(vocabulary="") & ~models.Q(term="")),
                name="concept_term_with_its_vocabulary",
            ),
            models.UniqueConstraint(
                fields=["vocabulary", "term"], condition=~models.Q(vocabulary=""), name="one_concept_per_term"
            ),
        ]

    def __str__(self):
        return self.slug

    @property
    def is_free(self) -> bool:
        return not self.vocabulary


class Label(models.Model):
    """One word or phrase for a concept, in a language (hidden labels have none: misspellings and
    deprecated words, matched by search but never shown)."""

    class Kind(models.TextChoices):
        PREFERRED = "pref", "Preferred"
        ALTERNATIVE = "alt", "Alternative"
        HIDDEN = "hidden", "Hidden"

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="labels")
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.ALTERNATIVE)
    language = models.CharField(max_length=8, blank=True, default="en", help_text="en, fr, … (empty when hidden)")
    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["concept", "kind", "language", "text"]
        constraints = [
            models.UniqueConstraint(fields=["concept", "kind", "language", "text"], name="label_once_per_concept")
        ]

    def __str__(self):
        return f"{self.text} ({self.get_kind_display().lower()}{', ' + self.language if self.language else ''})"
