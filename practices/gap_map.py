"""The gap map: how many published entries each pillar has per region, theme or INSPIRE strategy,
so curators and readers see where the knowledge base is thin."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from practices.counts import published_counts, published_pair_counts
from practices.kinds import BY_PLURAL
from taxonomy.models import InspireStrategy, Pillar, Region, Theme

# rows= value -> (label, vocabulary model, entry relation, browse filter parameter)
ROW_DIMENSIONS = {
    "regions": (_("Regions"), Region, "regions", "region"),
    "themes": (_("Themes"), Theme, "themes", "theme"),
    "inspire": (_("WHO INSPIRE strategies"), InspireStrategy, "inspire_strategies", "inspire"),
}
# rows= value -> what one row is called, singular and plural
ROW_NOUNS = {
    "regions": (_("region"), _("regions")),
    "themes": (_("theme"), _("themes")),
    "inspire": (_("INSPIRE strategy"), _("INSPIRE strategies")),
}
ENTRY_OPTIONS = ("practices", "findings")  # entries= values (the entry kinds), in the order offered


def count_matrix(queryset, row_relation, column_relation="pillars"):
    """``{(row slug, column slug): number of distinct entries}`` in one grouped query."""
    rows = queryset.values(f"{row_relation}__slug", f"{column_relation}__slug").annotate(
        entries=Count("pk", distinct=True)
    )
    return {
        (row[f"{row_relation}__slug"], row[f"{column_relation}__slug"]): row["entries"]
        for row in rows
        if row[f"{row_relation}__slug"] is not None
    }


def count_by(queryset, relation):
    """``{slug: number of distinct entries}`` in one grouped query."""
    rows = queryset.values(f"{relation}__slug").annotate(entries=Count("pk", distinct=True))
    return {row[f"{relation}__slug"]: row["entries"] for row in rows if row[f"{relation}__slug"] is not None}


def shade(count, maximum):
    """A shade class 0-4 for a count, relative to the largest cell (0 means none)."""
    if not count or not maximum:
        return 0
    return min(4, 1 + (4 * (count - 1)) // maximum)


class KnownChoicesMixin:
    """A view whose parameters each take one of a few values: an unknown value falls back to the
    default and is listed in ``self.ignored`` (the page says so) instead of failing."""

    def choice(self, name, options, default):
        raw = self.request.GET.get(name, default)
        if raw in options:
            return raw
        self.ignored.setdefault(name, []).append(raw)
        return default


class GapMapView(KnownChoicesMixin, TemplateView):
    template_name = "practices/gap_map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.ignored = {}
        rows_key = self.choice("rows", ROW_DIMENSIONS, "regions")
        entries_key = self.choice("entries", ENTRY_OPTIONS, "practices")
        for name in self.request.GET:
            if name not in {"rows", "entries"}:
                self.ignored.setdefault(name, []).append(self.request.GET[name])
        row_label, row_model, row_relation, row_param = ROW_DIMENSIONS[rows_key]
        kind = BY_PLURAL[entries_key]
        pillars = list(Pillar.objects.all())
        # Link a cell to the browse page only with parameters the browse filters understand.
        linkable = row_param in kind.filterset_class.base_filters
        table, maximum = self.table(kind.model, row_model, row_relation, pillars)
        pillar_totals = published_counts(kind.model, "pillars")
        context |= {
            "rows_key": rows_key,
            "rows_label": row_label,
            "row_noun": ROW_NOUNS[rows_key][0],
            "rows_plural": ROW_NOUNS[rows_key][1],
            "linked": linkable,
            "param": row_param if linkable else "",
            "cell_count": len(table) * len(pillars),
            "row_options": [(key, value[0]) for key, value in ROW_DIMENSIONS.items()],
            "entries_key": entries_key,
            "entries_label": kind.label,
            "entry_options": [(key, BY_PLURAL[key].label) for key in ENTRY_OPTIONS],
            "list_url": kind.list_url_name,
            "pillars": pillars,
            "pillar_totals": [pillar_totals.get(pillar.pk, 0) for pillar in pillars],
            "table": table,
            "maximum": maximum,
            "empty_cells": sum(1 for row in table for cell in row["cells"] if not cell["count"]),
            "ignored": self.ignored,
        }
        for row in table:
            row["param"] = context["param"]
        return context

    @staticmethod
    def table(model, row_model, row_relation, pillars):
        """One row per term: its total and a cell per pillar with its count and shade (published
        ``model`` entries, counted over the through tables in one query each)."""
        matrix = published_pair_counts(model, row_relation, "pillars")
        totals = published_counts(model, row_relation)
        maximum = max(matrix.values(), default=0)
        table = [
            {
                "term": term,
                "total": totals.get(term.pk, 0),
                "cells": [
                    {"pillar": pillar, "count": matrix.get((term.pk, pillar.pk), 0)}
                    | {"shade": shade(matrix.get((term.pk, pillar.pk), 0), maximum)}
                    for pillar in pillars
                ],
            }
            for term in row_model.objects.all()
        ]
        return table, maximum
