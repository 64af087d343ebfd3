"""A complete, comparable picture of the knowledge base: every row of every content model, with
foreign keys and many-to-many relations by natural key, database ids and timestamps left out."""

from django.db import models

from kb.models import Conference, Organisation, Person, Project, Section, Session, SourceDocument
from practices.models import Finding, Practice, PracticeQuote, Status
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

CONTENT_MODELS = [
    Pillar,
    Region,
    Country,
    Theme,
    TargetGroup,
    InspireStrategy,
    ConventionArticle,
    Organisation,
    Person,
    Conference,
    SourceDocument,
    Section,
    Session,
    Project,
    Finding,
    Practice,
    PracticeQuote,
    TerminologySource,
    Concept,
    Label,
]
SKIPPED = {"id", "created_at", "updated_at", "published_by", "first_published_at"}


def natural_key(obj):
    if obj is None:
        return None
    if isinstance(obj, Section):
        return (obj.document.slug, obj.code)
    if isinstance(obj, PracticeQuote):
        return (obj.practice.slug, obj.order)
    if isinstance(obj, Label):
        return (obj.concept.slug, obj.kind, obj.language, obj.text)
    if isinstance(obj, TerminologySource):
        return obj.key
    for name in ("slug", "code", "number"):
        if hasattr(obj, name):
            return getattr(obj, name)
    raise AssertionError(f"no natural key for {obj!r}")


def snapshot_kb():
    picture = {}
    for model in CONTENT_MODELS:
        rows = []
        for obj in model.objects.all():
            row = {}
            for field in model._meta.get_fields():
                if field.name in SKIPPED or field.auto_created and not field.concrete:
                    continue
                if isinstance(field, models.ManyToManyField):
                    row[field.name] = sorted(str(natural_key(o)) for o in getattr(obj, field.name).all())
                elif isinstance(field, models.ForeignKey):
                    row[field.name] = natural_key(getattr(obj, field.name))
                elif field.concrete:
                    row[field.name] = getattr(obj, field.name)
            rows.append(row)
        picture[model.__name__] = sorted(rows, key=repr)
    return picture


def empty_kb():
    """Delete every content row, children first (protected foreign keys). Published entries cannot
    be deleted as such (the curation guard), so the entries are first made drafts that were never
    public: only a test, standing for an empty database, goes behind the guard's back like this."""
    for model in reversed(CONTENT_MODELS):
        if model in (Finding, Practice):
            model.objects.update(status=Status.DRAFT, first_published_at=None)
        model.objects.all().delete()
