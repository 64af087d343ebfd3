"""Factories for test objects. Vocabulary terms are looked up (the shipped content is loaded in
every test database) so tests use the real pillars, regions and sections."""

import factory
from factory.django import DjangoModelFactory

from kb.models import Conference, Organisation, Section, Session, SourceDocument
from practices.models import Finding, Practice, Status
from taxonomy.models import Pillar, Region, TargetGroup

SOURCE_TEXT = """Test report

A. Opening

Children's councils were regarded as effective platforms to give children a voice.

B. Results

Databases for best practices and virtual desks should be created.
"""


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.NGO


class ConferenceFactory(DjangoModelFactory):
    class Meta:
        model = Conference

    slug = factory.Sequence(lambda n: f"conference-{n}")
    title = factory.Sequence(lambda n: f"Test conference {n}")
    short_title = factory.Sequence(lambda n: f"Test {n}")
    start_date = "2030-01-01"
    end_date = "2030-01-02"
    place = "Strasbourg"


class SourceDocumentFactory(DjangoModelFactory):
    class Meta:
        model = SourceDocument

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Test report {n}")
    conference = factory.SubFactory(ConferenceFactory)
    text = SOURCE_TEXT


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    document = factory.SubFactory(SourceDocumentFactory)
    code = "A"
    title = "Opening"
    heading = "A. Opening"
    order = 1
    start = factory.LazyAttribute(lambda o: o.document.text.index(o.heading))
    end = factory.LazyAttribute(lambda o: len(o.document.text))


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    conference = factory.LazyAttribute(lambda o: o.section.document.conference)
    section = factory.SubFactory(SectionFactory)
    slug = factory.Sequence(lambda n: f"session-{n}")
    kind = Session.Kind.PANEL
    title = factory.Sequence(lambda n: f"Session {n}")


class EntryFactory(DjangoModelFactory):
    class Meta:
        abstract = True
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"test-entry-{n}")
    title = factory.Sequence(lambda n: f"Test entry {n}")
    summary = "A summary in the curator's words."
    quote = "Children's councils were regarded as effective platforms to give children a voice."
    session = factory.SubFactory(SessionFactory)
    section = factory.LazyAttribute(lambda o: o.session.section)
    status = Status.PUBLISHED

    @factory.post_generation
    def pillars(self, create, extracted, **kwargs):
        self.pillars.set(extracted if extracted is not None else Pillar.objects.filter(slug="protection"))

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        self.regions.set(extracted if extracted is not None else Region.objects.filter(slug="global"))

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if extracted is not None:
            self.themes.set(extracted)


class FindingFactory(EntryFactory):
    class Meta:
        model = Finding
        skip_postgeneration_save = True

    kind = Finding.Kind.FINDING


class PracticeFactory(EntryFactory):
    class Meta:
        model = Practice
        skip_postgeneration_save = True

    practice_type = Practice.PracticeType.PARTICIPATION_MECHANISM
    description = "What it is, in the curator's words."
    basis = Practice.Basis.RECOMMENDED
    rating_reason = "Recommended: participants proposed it; nobody is described doing it."

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):
        self.target_groups.set(extracted if extracted is not None else TargetGroup.objects.filter(slug="children"))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user-{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("a-long-test-password")
