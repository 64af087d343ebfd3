"""The vocabularies a query is understood against, and how each names its terms: the thesaurus
(taxonomy.Concept) refers to a term by vocabulary and key, the browse filters by facet name; both
use the names below, so a recognised term maps straight onto a filter parameter."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kb.models import Organisation, Project, Session
from taxonomy.models import (
    Concept,
    ConventionArticle,
    Country,
    InspireStrategy,
    Pillar,
    Region,
    TargetGroup,
    Theme,
)


@dataclass(frozen=True)
class VocabularyInfo:
    name: str  # the facet / filter parameter name, and Concept.vocabulary
    label: str  # how a reader calls one of its terms ("Region")
    model: type
    key: str  # the attribute that identifies a term in URLs and filters
    name_field: str  # the attribute read as the term's name
    has_facet: bool = True  # whether the browse pages filter by it
    french_field: str = ""  # the attribute holding the French name, if any

    def key_of(self, term) -> str:
        return str(getattr(term, self.key))


VOCABULARIES = {
    info.name: info
    for info in (
        VocabularyInfo(Concept.Vocabulary.PILLAR, _("Pillar"), Pillar, "slug", "name", french_field="name_fr"),
        VocabularyInfo(Concept.Vocabulary.REGION, _("Region"), Region, "slug", "name", french_field="name_fr"),
        VocabularyInfo(Concept.Vocabulary.COUNTRY, _("Country"), Country, "code", "name", french_field="name_fr"),
        VocabularyInfo(Concept.Vocabulary.THEME, _("Theme"), Theme, "slug", "name", french_field="name_fr"),
        VocabularyInfo(
            Concept.Vocabulary.TARGET_GROUP, _("Target group"), TargetGroup, "slug", "name", french_field="name_fr"
        ),
        VocabularyInfo(
            Concept.Vocabulary.INSPIRE,
            _("WHO INSPIRE strategy"),
            InspireStrategy,
            "slug",
            "name",
            french_field="name_fr",
        ),
        VocabularyInfo(
            Concept.Vocabulary.ARTICLE,
            _("Convention article"),
            ConventionArticle,
            "number",
            "title",
            french_field="title_fr",
        ),
        VocabularyInfo(Concept.Vocabulary.SESSION, _("Conference session"), Session, "slug", "title"),
        VocabularyInfo(Concept.Vocabulary.ORGANISATION, _("Organisation"), Organisation, "slug", "name", False),
        VocabularyInfo(Concept.Vocabulary.PROJECT, _("Project"), Project, "slug", "name", False),
    )
}


def entry_field(model, vocabulary: VocabularyInfo) -> str | None:
    """The field of an entry model (Finding, Practice) that classifies it under ``vocabulary``'s
    terms (``regions``, ``session``, ``implementers``...), or None when it has none."""
    for field in model._meta.get_fields():
        if field.is_relation and not field.auto_created and field.related_model is vocabulary.model:
            return field.name
    return None


def term_exists(vocabulary: str, key: str) -> bool:
    """Whether a thesaurus reference (vocabulary, key) names an existing term."""
    info = VOCABULARIES.get(vocabulary)
    if info is None or not key:
        return False
    if info.key == "number" and not str(key).isdigit():
        return False
    return info.model.objects.filter(**{info.key: key}).exists()
