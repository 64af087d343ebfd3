"""Controlled vocabularies shared by every source: pillars, regions, countries, themes, target
groups, WHO INSPIRE strategies and the articles of the Lanzarote Convention."""

from django.db import models
from django.urls import reverse


class SlugNamedQuerySet(models.QuerySet):
    def by_slugs(self, slugs):
        return self.filter(slug__in=slugs)


class Vocabulary(models.Model):
    """A named term identified by a stable slug used in URLs, filters, imports and the API."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    objects = SlugNamedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

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
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="countries")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("taxonomy:country", args=[self.code])


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
    chapter = models.CharField(max_length=5, help_text="Roman numeral")
    chapter_title = models.CharField(max_length=200)
    pillar = models.ForeignKey(Pillar, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")

    class Meta:
        ordering = ["number"]
        verbose_name = "convention article"

    def __str__(self):
        return f"Article {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("taxonomy:article", args=[self.number])
