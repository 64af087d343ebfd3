"""The vocabularies a query is understood against, and how each names its terms: the thesaurus
(taxonomy.Concept) refers to a term by vocabulary and key, the browse filters by facet name; both
use the names below, so a recognised term maps straight onto a filter parameter."""

from dataclasses import dataclass

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

    def key_of(self, term) -> str:
        return str(getattr(term, self.key))


VOCABULARIES = {
    info.name: info
    for info in (
        VocabularyInfo(Concept.Vocabulary.PILLAR, "Pillar", Pillar, "slug", "name"),
        VocabularyInfo(Concept.Vocabulary.REGION, "Region", Region, "slug", "name"),
        VocabularyInfo(Concept.Vocabulary.COUNTRY, "Country", Country, "code", "name"),
        VocabularyInfo(Concept.Vocabulary.THEME, "Theme", Theme, "slug", "name"),
        VocabularyInfo(Concept.Vocabulary.TARGET_GROUP, "Target group", TargetGroup, "slug", "name"),
        VocabularyInfo(Concept.Vocabulary.INSPIRE, "WHO INSPIRE strategy", InspireStrategy, "slug", "name"),
        VocabularyInfo(Concept.Vocabulary.ARTICLE, "Convention article", ConventionArticle, "number", "title"),
        VocabularyInfo(Concept.Vocabulary.SESSION, "Conference session", Session, "slug", "title"),
        VocabularyInfo(Concept.Vocabulary.ORGANISATION, "Organisation", Organisation, "slug", "name", False),
        VocabularyInfo(Concept.Vocabulary.PROJECT, "Project", Project, "slug", "name", False),
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
