"""Side-by-side comparison of good practices (and of regions), so similarities and differences
between contexts are visible. The state lives in GET parameters: ``/compare/?practice=a&practice=b``."""

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from common.i18n import in_default_language, localized
from practices.gap_map import count_by, count_matrix
from practices.models import Practice
from taxonomy.models import Pillar, Region, Theme

MIN_COMPARED, MAX_COMPARED = 2, 4


@dataclass
class Value:
    label: str
    url: str = ""
    key: str = ""
    mark: str = ""  # "shared by all", "in 2 of 3" or "only here"
    holders: int = 0
    total: int = 0

    @property
    def mark_label(self):
        """The mark in the active language."""
        if self.mark in MARK_LABELS:
            return MARK_LABELS[self.mark]
        return gettext("in %(holders)s of %(total)s") % {"holders": self.holders, "total": self.total}


@dataclass
class Row:
    label: str
    cells: list[list[Value]]
    verdict: str = ""

    @property
    def verdict_label(self):
        return VERDICT_LABELS.get(self.verdict, self.verdict)

    @property
    def is_rating(self):
        """The basis and the evidence level: the rows the rating method explains."""
        return str(self.label) in (str(RATING_LABELS[0]), str(RATING_LABELS[1]))


RATING_LABELS = (_("Basis"), _("Evidence level"))
MARK_LABELS = {"shared by all": _("shared by all"), "only here": _("only here")}
VERDICT_LABELS = {
    "Same for all": _("Same for all"),
    "Not stated for any": _("Not stated for any"),
    "Partly shared": _("Partly shared"),
    "Some overlap": _("Some overlap"),
    "All different": _("All different"),
}


def related_values(items, key="slug"):
    return [
        Value(str(item), getattr(item, "get_absolute_url", lambda: "")(), str(getattr(item, key))) for item in items
    ]


def choice_value(practice, name):
    raw = getattr(practice, name)
    return [Value(getattr(practice, f"get_{name}_display")(), key=raw)] if raw else []


# (label, how to read the values of one practice)
PRACTICE_FIELDS = [
    (_("Pillars"), lambda p: related_values(p.pillars.all())),
    (_("Target groups"), lambda p: related_values(p.target_groups.all())),
    (_("Type of practice"), lambda p: choice_value(p, "practice_type")),
    (_("Who implements it"), lambda p: related_values(p.implementers.all())),
    (_("Basis"), lambda p: choice_value(p, "basis")),
    (_("Evidence level"), lambda p: choice_value(p, "evidence_level")),
    (_("Child participation"), lambda p: choice_value(p, "child_participation")),
    (_("Regions"), lambda p: related_values(p.regions.all())),
    (_("Countries"), lambda p: related_values(p.countries.all(), key="code")),
    (_("Themes"), lambda p: related_values(p.themes.all())),
    (_("Convention articles"), lambda p: related_values(p.articles.all(), key="number")),
    (_("WHO INSPIRE strategies"), lambda p: related_values(p.inspire_strategies.all())),
    (_("Session"), lambda p: related_values([p.session] if p.session_id else [])),
]


def compare_row(label, cells):
    """Mark each value with how many of the compared practices carry it, and sum the row up."""
    total = len(cells)
    keys = [{value.key for value in values} for values in cells]
    for values in cells:
        for value in values:
            holders = sum(1 for held in keys if value.key in held)
            value.holders, value.total = holders, total
            value.mark = (
                "shared by all" if holders == total else ("only here" if holders == 1 else f"in {holders} of {total}")
            )
    if all(held == keys[0] for held in keys):
        verdict = "Same for all" if keys[0] else "Not stated for any"
    elif set.intersection(*keys):
        verdict = "Partly shared"
    elif any(value.mark != "only here" for values in cells for value in values):
        verdict = "Some overlap"
    else:
        verdict = "All different"
    return Row(label, cells, verdict)


def compare_practices(practices):
    return [compare_row(label, [read(practice) for practice in practices]) for label, read in PRACTICE_FIELDS]


def requested_slugs(request, name):
    """The distinct, well-formed values of a repeated GET parameter, in the order given."""
    seen = []
    for raw in request.GET.getlist(name):
        slug = raw.replace("\x00", "").strip()[:140]
        if slug and slug not in seen:
            seen.append(slug)
    return seen


class ComparisonMixin:
    """Resolves 2-4 slugs of ``model`` from ``?<param>=``, explaining what it did with the rest."""

    param = ""

    def resolve(self, queryset, lookup="slug"):
        slugs = requested_slugs(self.request, self.param)
        found = {str(getattr(obj, lookup)): obj for obj in queryset.filter(**{f"{lookup}__in": slugs})}
        unknown = [slug for slug in slugs if slug not in found]
        chosen = [found[slug] for slug in slugs if slug in found]
        messages = []
        if unknown:
            quoted = ", ".join(f"“{slug[:60]}”" for slug in unknown)
            messages.append(gettext("Ignored unknown %(param)s %(values)s.") % {"param": self.param, "values": quoted})
        if len(chosen) > MAX_COMPARED:
            dropped = ", ".join(str(obj) for obj in chosen[MAX_COMPARED:])
            messages.append(
                gettext("At most %(max)s can be compared; showing the first %(max)s (left out: %(dropped)s).")
                % {"max": MAX_COMPARED, "dropped": dropped}
            )
            chosen = chosen[:MAX_COMPARED]
        if slugs and len(chosen) < MIN_COMPARED:
            messages.append(
                gettext("Choose at least %(min)s to compare; %(count)s recognised.")
                % {"min": MIN_COMPARED, "count": len(chosen)}
            )
        return chosen, messages


class PracticeCompareView(ComparisonMixin, TemplateView):
    template_name = "practices/compare.html"
    param = "practice"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = Practice.objects.published().with_relations().prefetch_related("target_groups", "implementers")
        practices, messages = self.resolve(queryset)
        chosen = {practice.slug for practice in practices}
        context |= {
            "practices": practices if len(practices) >= MIN_COMPARED else [],
            "rows": compare_practices(practices) if len(practices) >= MIN_COMPARED else [],
            "messages_": messages,
            "choices": [
                (slug, localized(title, title_fr), slug in chosen, not in_default_language() and not title_fr)
                for slug, title, title_fr in Practice.objects.published()
                .order_by("title")
                .values_list("slug", "title", "title_fr")
            ],
            "max_compared": MAX_COMPARED,
        }
        return context


class RegionCompareView(ComparisonMixin, TemplateView):
    """Two to four regions: their good practices counted by pillar and theme, and listed."""

    template_name = "practices/compare_regions.html"
    param = "region"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        all_regions = list(Region.objects.all())
        regions, messages = self.resolve(Region.objects.all())
        context |= {"regions": [], "messages_": messages, "all_regions": all_regions, "max_compared": MAX_COMPARED}
        if len(regions) < MIN_COMPARED:
            return context
        slugs = [region.slug for region in regions]
        practices = Practice.objects.published().filter(regions__slug__in=slugs)
        by_pillar = count_matrix(practices, "regions", "pillars")
        by_theme = count_matrix(practices, "regions", "themes")
        totals = count_by(practices, "regions")
        listed = {slug: [] for slug in slugs}
        for practice in Practice.objects.published().filter(regions__slug__in=slugs).distinct().for_cards():
            for region in practice.regions.all():
                if region.slug in listed:
                    listed[region.slug].append(practice)
        themes = [theme for theme in Theme.objects.all() if any(by_theme.get((slug, theme.slug)) for slug in slugs)]
        context |= {
            "regions": regions,
            "totals": [totals.get(slug, 0) for slug in slugs],
            "pillar_rows": [
                (pillar, [(region, by_pillar.get((region.slug, pillar.slug), 0)) for region in regions])
                for pillar in Pillar.objects.all()
            ],
            "theme_rows": [
                (theme, [(region, by_theme.get((region.slug, theme.slug), 0)) for region in regions])
                for theme in themes
            ],
            "practice_lists": [
                (region, sorted(listed[region.slug], key=lambda p: p.local_title)) for region in regions
            ],
        }
        return context
