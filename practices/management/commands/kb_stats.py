from django.core.management.base import BaseCommand
from django.db.models import Count, Q

from kb.models import Conference, Organisation, Person, Project, Section, Session
from practices.counts import basis_counts
from practices.models import Finding, Practice, published_entry_counts
from taxonomy.models import Country, Pillar, Region


class Command(BaseCommand):
    help = "Print what the knowledge base holds: published entries per source section, pillar, region and country."

    def handle(self, *args, **options):
        counts = {
            "conferences": Conference.objects.count(),
            "sessions": Session.objects.count(),
            "organisations": Organisation.objects.count(),
            "people": Person.objects.count(),
            "projects": Project.objects.count(),
            "findings (published)": Finding.objects.published().count(),
            "practices (published)": Practice.objects.published().count(),
        }
        for name, count in counts.items():
            self.stdout.write(f"{name:>24}: {count}")
        self.table(
            "section",
            Section.objects.select_related("document", "parent")
            .annotate(**published_entry_counts())
            .order_by("document__title", "order"),
            lambda s: f"{s.document.slug} {s.label}",
        )
        for model in (Pillar, Region):
            self.table(
                model._meta.verbose_name,
                model.objects.annotate(**published_entry_counts()).order_by("order"),
                str,
            )
        self.table(
            "country (ISO code)",
            Country.objects.annotate(**published_entry_counts())
            .filter(Q(finding_count__gt=0) | Q(practice_count__gt=0))
            .order_by("code"),
            lambda c: f"{c.code} {c.name}",
        )
        self.basis_table()
        kinds = Finding.objects.published().values("kind").annotate(n=Count("pk")).order_by("-n")
        self.stdout.write("\nfindings by kind: " + ", ".join(f"{k['kind']} {k['n']}" for k in kinds))

    def basis_table(self):
        """Published practices the source presents as implemented, or only recommends, per pillar and region."""
        published = Practice.objects.published()
        implemented = published.filter(basis=Practice.Basis.IMPLEMENTED).count()
        self.stdout.write(
            f"\npractices by basis: implemented {implemented}, recommended {published.count() - implemented}"
        )
        for model, relation in ((Pillar, "pillars"), (Region, "regions")):
            counts = basis_counts(relation)
            self.stdout.write(f"\n{'per ' + model._meta.verbose_name:<52} implemented  recommended")
            for term in model.objects.order_by("order"):
                done, proposed = counts.get((term.slug, "implemented"), 0), counts.get((term.slug, "recommended"), 0)
                self.stdout.write(f"{str(term)[:50]:<52} {done:>11}  {proposed:>11}")

    def table(self, title, rows, label):
        self.stdout.write(f"\n{'per ' + title:<52} findings  practices")
        for row in rows:
            self.stdout.write(f"{label(row)[:50]:<52} {row.finding_count:>8}  {row.practice_count:>9}")
